package io.fjord.logql.template;

/** A template that does not parse or fails while rendering; the message is Go's. */
public class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }
}
