package io.fjord.app.run;

import java.util.Arrays;
import java.util.Locale;

/** What a process runs: every role with an embedded broker, or one role against external Kafka. */
public enum Target {
  ALL, DISTRIBUTOR, INGESTER, QUERIER;

  public static Target parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown target '" + name + "'; expected one of "
          + Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList());
    }
  }

  boolean runs(Target role) {
    return this == ALL || this == role;
  }
}
