package io.fjord.logql.ast;

/** How {@code | unwrap} turns a label value into a sample: as a float, a byte size, or a duration in seconds. */
public enum UnwrapConversion {
  NONE(""), BYTES("bytes"), DURATION("duration"), DURATION_SECONDS("duration_seconds");

  private final String function;

  UnwrapConversion(String function) {
    this.function = function;
  }

  /** The function name written in the query ({@code unwrap bytes(size)}), empty for none. */
  public String function() {
    return function;
  }
}
