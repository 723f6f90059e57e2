package io.fjord.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fjord.common.config.LimitsConfig;
import io.fjord.distributor.DistributorConfig;
import io.fjord.ingester.IngesterConfig;
import io.fjord.querier.QuerierConfig;
import io.fjord.store.config.StorageConfig;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.CompactorConfig;

/**
 * The whole configuration of a Fjord process, one YAML file in Loki's layout. Every section is
 * optional; what is left out takes the defaults documented on each section's record. Immutable.
 *
 * @param authEnabled when true, requests must carry {@code X-Scope-OrgID}; when false every request
 *     belongs to the tenant {@code fake}, as in Loki
 * @param storage where flushed chunks (and the chunk index) are kept: a local directory under
 *     {@code common.path_prefix} by default, or S3
 * @param chunkIndex how the chunk index in that store is laid out and cached
 * @param compactor compaction of the chunk index and retention, run by {@code all} and {@code compactor}
 */
public record FjordConfig(
    @JsonProperty("auth_enabled") Boolean authEnabled,
    @JsonProperty("server") ServerConfig server,
    @JsonProperty("common") CommonSection common,
    @JsonProperty("kafka") KafkaSection kafka,
    @JsonProperty("distributor") DistributorConfig distributor,
    @JsonProperty("ingester") IngesterConfig ingester,
    @JsonProperty("querier") QuerierConfig querier,
    @JsonProperty("limits_config") LimitsConfig limits,
    @JsonProperty("storage") StorageConfig storage,
    @JsonProperty("chunk_index") ChunkIndexConfig chunkIndex,
    @JsonProperty("compactor") CompactorConfig compactor) {

  public FjordConfig {
    authEnabled = authEnabled != null ? authEnabled : false;
    server = server != null ? server : ServerConfig.defaults();
    common = common != null ? common : CommonSection.defaults();
    kafka = kafka != null ? kafka : KafkaSection.defaults();
    distributor = distributor != null ? distributor : DistributorConfig.defaults();
    ingester = ingester != null ? ingester : IngesterConfig.defaults();
    querier = querier != null ? querier : QuerierConfig.defaults();
    limits = limits != null ? limits : LimitsConfig.defaults();
    storage = storage != null ? storage : StorageConfig.defaults();
    chunkIndex = chunkIndex != null ? chunkIndex : ChunkIndexConfig.defaults();
    compactor = compactor != null ? compactor : CompactorConfig.defaults();
    // a rewritten chunk must be one the querier never asks an ingester about nor excludes by key
    if (compactor.recompresses() && compactor.recompressAfter().compareTo(querier.queryIngestersWithin()) < 0) {
      throw new IllegalArgumentException("compactor.recompress_after (" + compactor.recompressAfter()
          + ") must be at least querier.query_ingesters_within (" + querier.queryIngestersWithin() + ")");
    }
  }

  public static FjordConfig defaults() {
    return new FjordConfig(null, null, null, null, null, null, null, null, null, null, null);
  }
}
