package io.fjord.common.http;

/**
 * A request that cannot be served, with the HTTP status and the message the client sees. Handlers
 * throw it (or a subclass); one exception mapper per server turns it into the answer, so no handler
 * writes error responses itself. Immutable.
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public ApiException(int status, String message, Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }
}
