package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fjord.app.config.ConfigException;
import io.fjord.app.config.ConfigLoader;
import io.fjord.app.config.FjordConfig;
import io.fjord.app.run.FjordProcess;
import io.fjord.app.run.Target;
import io.fjord.schemas.labels.Labels;
import io.fjord.store.ChunkKey;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ChunkRef;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.fjord.store.local.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fjord compactor} applies Loki's per-tenant retention: limits_config.retention_period for
 * every tenant, the overrides file's period for the tenants it names (0s = forever).
 */
class PerTenantRetentionTest {
  private static final long DAY = Duration.ofDays(1).toNanos();

  @Test
  void eachTenantLosesOnlyWhatIsOlderThanItsOwnPeriod(@TempDir Path data, @TempDir Path chunks,
      @TempDir Path etc) throws Exception {
    long now = Instant.now().getEpochSecond() * 1_000_000_000L;
    ChunkRef shortOld = chunk("short", now - 10 * DAY); // 10 days > its 7: deleted
    ChunkRef shortNew = chunk("short", now - 3 * DAY);
    ChunkRef defaultTen = chunk("dflt", now - 10 * DAY); // 10 days < the 30-day default: kept
    ChunkRef defaultOld = chunk("dflt", now - 40 * DAY); // deleted
    ChunkRef forever = chunk("audit", now - 400 * DAY); // 0s: kept
    List<ChunkRef> all = List.of(shortOld, shortNew, defaultTen, defaultOld, forever);
    try (LocalObjectStore store = new LocalObjectStore(chunks);
        ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), Clock.systemUTC())) {
      for (ChunkRef r : all) {
        store.put(r.key(), new byte[] {1, 2, 3});
        index.add(List.of(r));
      }
    }
    Path overrides = etc.resolve("overrides.yaml");
    Files.writeString(overrides, """
        overrides:
          short:
            retention_period: 168h
          audit:
            retention_period: 0s
        """);
    FjordConfig config = config(data, chunks, Map.of("limits_config.retention_period", "720h",
        "limits_config.per_tenant_override_config", overrides.toString()));
    try (FjordProcess compactor = FjordProcess.start(config, Target.COMPACTOR, Clock.systemUTC());
        LocalObjectStore store = new LocalObjectStore(chunks)) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(store.get(shortOld.key())).isEmpty();
        assertThat(store.get(defaultOld.key())).isEmpty();
      });
      for (ChunkRef kept : List.of(shortNew, defaultTen, forever)) {
        assertThat(store.get(kept.key())).as(kept.key()).isPresent();
      }
    }
  }

  @Test
  void aWrongOverridesFileFailsStartUpNamingTheKey(@TempDir Path data, @TempDir Path chunks, @TempDir Path etc)
      throws Exception {
    Path overrides = etc.resolve("overrides.yaml");
    Files.writeString(overrides, "overrides:\n  short:\n    max_query_series: 10\n");
    FjordConfig config = config(data, chunks, Map.of("limits_config.per_tenant_override_config",
        overrides.toString()));
    assertThatThrownBy(() -> FjordProcess.start(config, Target.COMPACTOR, Clock.systemUTC()).close())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(overrides.toString())
        .hasMessageContaining("tenant 'short'")
        .hasMessageContaining("'max_query_series'");
  }

  private static FjordConfig config(Path data, Path chunks, Map<String, String> extra) {
    Map<String, String> overrides = new java.util.HashMap<>(Map.of("common.path_prefix", data.toString(),
        "server.http_listen_port", "0", "storage.filesystem.directory", chunks.toString(),
        "kafka.bootstrap_servers", "", "compactor.retention_enabled", "true",
        "compactor.retention_delete_delay", "0s", "compactor.compaction_delete_delay", "0s"));
    overrides.putAll(extra);
    return new ConfigLoader(name -> null).load(null, overrides);
  }

  private static ChunkRef chunk(String tenant, long through) {
    ChunkKey key = new ChunkKey(tenant, 42, through - 3_600_000_000_000L, through, (int) (through % 1000));
    return new ChunkRef(key, Labels.of("app", "a"), 100, 5);
  }
}
