package io.fjord.distributor.push;

/**
 * One label (or structured-metadata pair) exactly as a client pushed it, before validation: the
 * name may be malformed and the same name may appear twice. Immutable.
 */
public record LabelPair(String name, String value) {
  public LabelPair {
    if (name == null || value == null) {
      throw new NullPointerException("label name and value are required");
    }
  }
}
