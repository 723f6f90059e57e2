package io.fjord.schemas.record;

import io.fjord.schemas.labels.Fingerprint;
import io.fjord.schemas.labels.Labels;
import java.util.List;

/**
 * The unit written to the logs topic: the entries of one stream of one tenant, in push order.
 * The distributor writes one per (tenant, stream) of a push; the ingester reads them back.
 * Immutable.
 */
public record StreamBatch(String tenant, Labels labels, List<LogEntry> entries) {
  public StreamBatch {
    entries = List.copyOf(entries);
  }

  public long fingerprint() {
    return Fingerprint.of(labels);
  }
}
