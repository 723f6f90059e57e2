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
 */
public record QuerierConfig(
    @JsonProperty("query_ingesters_within") Duration queryIngestersWithin,
    @JsonProperty("ingester_expiry") Duration ingesterExpiry,
    @JsonProperty("multi_tenant_queries_enabled") Boolean multiTenantQueriesEnabled) {

  public QuerierConfig {
    queryIngestersWithin = queryIngestersWithin != null ? queryIngestersWithin : Duration.ofHours(3);
    ingesterExpiry = ingesterExpiry != null ? ingesterExpiry : Duration.ofSeconds(15);
    multiTenantQueriesEnabled = multiTenantQueriesEnabled != null ? multiTenantQueriesEnabled : false;
    if (queryIngestersWithin.isNegative()) {
      throw new IllegalArgumentException("querier.query_ingesters_within must not be negative: " + queryIngestersWithin);
    }
    if (ingesterExpiry.isNegative() || ingesterExpiry.isZero()) {
      throw new IllegalArgumentException("querier.ingester_expiry must be positive: " + ingesterExpiry);
    }
  }

  public static QuerierConfig defaults() {
    return new QuerierConfig(null, null, null);
  }
}
