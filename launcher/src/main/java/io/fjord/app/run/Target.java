package io.fjord.app.run;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a process runs: every role with an embedded broker, or one role against external Kafka (the
 * compactor needs only the object store).
 */
public enum Target {
  ALL, DISTRIBUTOR, INGESTER, QUERIER, COMPACTOR;

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

  /** Whether the process talks to Kafka (every role but the compactor does). */
  boolean usesKafka() {
    return this != COMPACTOR;
  }

  /** Whether the process opens the object store and the chunk index (every role but the distributor does). */
  boolean usesStore() {
    return this != DISTRIBUTOR;
  }
}
