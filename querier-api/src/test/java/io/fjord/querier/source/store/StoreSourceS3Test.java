package io.fjord.querier.source.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.querier.source.Direction;
import io.fjord.querier.source.Entry;
import io.fjord.store.InProcessS3;
import io.fjord.querier.source.SampleRequest;
import io.fjord.querier.source.SampleResult;
import io.fjord.querier.source.SelectRequest;
import io.fjord.querier.source.SelectResult;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.fjord.store.s3.S3ObjectStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The store source against a real S3 server (s3proxy, in-process) through the AWS SDK, as in
 * production: chunks and the chunk index in one bucket, chunk blocks fetched by ranged GETs.
 */
class StoreSourceS3Test {
  private static final long S = 1_000_000_000L;
  private static final long T0 = 1_795_132_800L * S;

  @Test
  void readsChunksAndTheIndexFromS3() throws Exception {
    Labels labels = Labels.of("app", "api");
    try (InProcessS3 s3 = new InProcessS3()) {
      s3.createBucket("chunks");
      try (S3ObjectStore store = new S3ObjectStore(s3.config("chunks"));
          ObjectStoreChunkIndex index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(),
              Clock.fixed(Instant.parse("2026-11-20T01:00:00Z"), ZoneOffset.UTC))) {
        FlushedChunks flush = new FlushedChunks(store, index);
        List<LogEntry> first = new ArrayList<>();
        List<LogEntry> second = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          (i < 25 ? first : second).add(new LogEntry(T0 + (i + 1) * S, "line " + i));
        }
        second.add(0, first.get(24)); // the second chunk repeats the first's last entry; all in the bucket (T0, T0 + 60s]
        flush.flush("fake", labels, first);
        flush.flush("fake", labels, second);
        StoreSource source = new StoreSource(store, index);

        SelectResult logs = source.select(new SelectRequest(List.of("fake"), "{app=\"api\"}", T0, T0 + 60 * S, 100,
            Direction.BACKWARD));
        SampleResult count = source.samples(new SampleRequest(List.of("fake"), "count_over_time({app=\"api\"}[1m])",
            null, T0, T0 + 60 * S, 60 * S, T0 + 60 * S));

        List<Entry> expected = new ArrayList<>();
        for (int i = 39; i >= 0; i--) {
          expected.add(new Entry(T0 + (i + 1) * S, "line " + i));
        }
        assertThat(logs.streams()).singleElement()
            .satisfies(s -> assertThat(s.entries()).containsExactlyElementsOf(expected));
        assertThat(count.series()).singleElement().satisfies(s -> {
          assertThat(s.timestamps()).containsExactly(T0 + 60 * S);
          assertThat(s.values()).containsExactly(40.0);
        });
      }
    }
  }
}
