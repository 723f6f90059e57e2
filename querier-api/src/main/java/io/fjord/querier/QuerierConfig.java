package io.fjord.querier;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * The {@code querier} section of the configuration. Names and defaults follow Loki's where the
 * concept is the same. Fields left out of the YAML take their defaults here; {@link #defaults()} is
 * the all-default set. Immutable.
 *
 * @param queryIngestersWithin ask the ingesters only when a query's range ends within this much of
 *     now (older data is in the store only); {@code 0} always asks them. Default 3h.
 * @param ingesterExpiry an ingester whose latest announcement on the membership topic is older than
 *     this is treated as gone (it died without saying goodbye). Default 15s.
 * @param multiTenantQueriesEnabled whether one query may name several tenants ({@code a|b}); the
 *     answer then labels each stream with {@code __tenant_id__}. Default false.
 * @param partitionWait how long a query asks the ingesters again (with fresh membership, after a
 *     short backoff) while some partition of the logs topic is covered by no answer (its owner died
 *     and the new owner is still replaying, or nobody owns it yet) before it fails with 503 naming
 *     those partitions; never past the query timeout; {@code 0} fails at once. Default 30s.
 */
public record QuerierConfig(
    @JsonProperty("query_ingesters_within") Duration queryIngestersWithin,
    @JsonProperty("ingester_expiry") Duration ingesterExpiry,
    @JsonProperty("multi_tenant_queries_enabled") Boolean multiTenantQueriesEnabled,
    @JsonProperty("partition_wait") Duration partitionWait) {

  public QuerierConfig {
    queryIngestersWithin = queryIngestersWithin != null ? queryIngestersWithin : Duration.ofHours(3);
    ingesterExpiry = ingesterExpiry != null ? ingesterExpiry : Duration.ofSeconds(15);
    multiTenantQueriesEnabled = multiTenantQueriesEnabled != null ? multiTenantQueriesEnabled : false;
    partitionWait = partitionWait != null ? partitionWait : Duration.ofSeconds(30);
    if (queryIngestersWithin.isNegative()) {
      throw new IllegalArgumentException("querier.query_ingesters_within must not be negative: " + queryIngestersWithin);
    }
    if (ingesterExpiry.isNegative() || ingesterExpiry.isZero()) {
      throw new IllegalArgumentException("querier.ingester_expiry must be positive: " + ingesterExpiry);
    }
    if (partitionWait.isNegative()) {
      throw new IllegalArgumentException("querier.partition_wait must not be negative: " + partitionWait);
    }
  }

  public static QuerierConfig defaults() {
    return new QuerierConfig(null, null, null, null);
  }
}
