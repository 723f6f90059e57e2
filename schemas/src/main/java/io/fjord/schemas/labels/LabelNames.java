package io.fjord.schemas.labels;

/**
 * The label-name rule every Fjord format relies on, Loki's and Prometheus's:
 * {@code [a-zA-Z_][a-zA-Z0-9_]*}. The distributor refuses pushes that break it; the ingester
 * refuses logs-topic records from Kafka-native producers that break it. Checked without a regex
 * (hot path). Stateless.
 */
public final class LabelNames {
  private LabelNames() {}

  public static boolean isValid(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
