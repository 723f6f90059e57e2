package io.fjord.ingester.stream;

import io.fjord.common.http.ApiException;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.ingester.index.IndexKeys;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.StreamBatch;
import io.fjord.schemas.labels.LabelNames;

/**
 * Checks what the record codec cannot: that a decoded batch names a valid tenant (Loki's tenant
 * id rules) and a valid stream (at least one label, Prometheus-style label names, sizes the index
 * can key). The distributor checks the same before producing; records written straight to Kafka
 * by other producers are checked only here. Stateless and thread-safe.
 */
public final class StreamValidator {
  private static final TenantResolver TENANTS = new TenantResolver(true, false);

  private StreamValidator() {}

  /** Why the batch cannot be ingested, or {@code null} when it can. */
  public static String problem(StreamBatch batch) {
    return problem(batch.tenant(), batch.labels());
  }

  /** Why a record of this tenant and stream cannot be ingested, or {@code null} when it can. */
  public static String problem(String tenant, Labels labels) {
    try {
      TENANTS.writeTenant(tenant);
    } catch (ApiException e) {
      return "invalid tenant: " + e.getMessage();
    }
    if (labels.isEmpty()) {
      return "stream has no labels";
    }
    for (int i = 0; i < labels.size(); i++) {
      if (!LabelNames.isValid(labels.name(i))) {
        return "invalid label name \"" + labels.name(i) + "\" in stream " + labels;
      }
    }
    String fit = IndexKeys.checkFits(tenant, labels);
    return fit == null ? null : fit + " in stream of tenant " + tenant;
  }
}
