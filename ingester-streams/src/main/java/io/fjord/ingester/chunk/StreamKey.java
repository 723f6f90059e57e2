package io.fjord.ingester.chunk;

import io.fjord.schemas.labels.Fingerprint;
import io.fjord.schemas.labels.Labels;

/**
 * Identifies a stream within a partition: tenant and labels. The fingerprint is carried along so
 * hashing and the index can use it; two streams whose fingerprints collide stay apart because
 * equality compares tenant and labels. Immutable.
 */
public record StreamKey(String tenant, Labels labels, long fingerprint) {

  public static StreamKey of(String tenant, Labels labels) {
    return new StreamKey(tenant, labels, Fingerprint.of(labels));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamKey k && k.fingerprint == fingerprint && k.tenant.equals(tenant)
        && k.labels.equals(labels);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(fingerprint) * 31 + tenant.hashCode();
  }
}
