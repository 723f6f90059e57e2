package io.fjord.ingester.flush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fjord.ingester.chunk.ChunkSettings;
import io.fjord.ingester.chunk.SealReason;
import io.fjord.ingester.chunk.SealedChunk;
import io.fjord.ingester.chunk.StreamKey;
import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.labels.Fingerprint;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.ChunkKey;
import io.fjord.store.index.ChunkRef;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flush against a real local store and the real chunk index, through a seam that fails on demand. */
class FlusherTest {
  /** 40-byte blocks: a few entries each, so chunks have several blocks. */
  static final ChunkSettings SETTINGS = new ChunkSettings(40, 1 << 20, Duration.ofMinutes(30), Duration.ofHours(2));
  static final Labels LABELS = Labels.of("app", "api", "env", "prod");

  @TempDir
  Path dir;
  FlushFixture f;
  final AtomicInteger lanesFlushed = new AtomicInteger();

  FlushFixture fixture(ChunkCodec codec, int concurrency) {
    f = new FlushFixture(dir, Clock.systemUTC(), codec, concurrency);
    return f;
  }

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  static StreamMemory stream(String tenant) {
    return new StreamMemory(StreamKey.of(tenant, LABELS), SETTINGS);
  }

  /** Seals the stream's open chunk and returns it as the flush gets it. */
  static SealedChunk seal(StreamMemory s) {
    assertThat(s.sealOpen(SealReason.FORCED)).isTrue();
    List<SealedChunk> sealed = s.takeSealed();
    assertThat(sealed).hasSize(1);
    return sealed.get(0);
  }

  @Test
  void writesTheEntriesInTimestampOrderUnderTheChunksKeyAndIndexesIt() {
    fixture(ChunkCodec.ZSTD, 2);
    StreamMemory s = stream("t");
    // in order, then older ones that go into the head after blocks were cut: blocks overlap in time
    s.append(List.of(new LogEntry(10, "ten"), new LogEntry(20, "twenty"), new LogEntry(30, "thirty")), 0, 0);
    s.append(List.of(new LogEntry(40, "forty"), new LogEntry(50, "fifty"), new LogEntry(60, "sixty")), 1, 0);
    s.append(List.of(new LogEntry(15, "fifteen"), new LogEntry(20, "twenty again")), 2, 0); // cuts a block
    s.append(List.of(new LogEntry(25, "twenty-five")), 3, 0); // older than that block's newest
    SealedChunk chunk = seal(s);
    assertThat(s.chunks().get(0).blocks()).isGreaterThan(1);

    f.flusher.lane(0, lanesFlushed::incrementAndGet).enqueue(chunk);
    await().atMost(Duration.ofSeconds(10)).until(chunk::isFlushed);

    List<String> keys = f.chunkKeys();
    assertThat(keys).hasSize(1);
    List<String> stored = f.entries(keys.get(0)).stream().map(e -> e.timestampNanos() + ":" + e.line()).toList();
    // equal timestamps keep arrival order
    assertThat(stored).containsExactly("10:ten", "15:fifteen", "20:twenty", "20:twenty again", "25:twenty-five",
        "30:thirty", "40:forty", "50:fifty", "60:sixty");
    ChunkKey key = ChunkKey.parse(keys.get(0));
    assertThat(key.tenant()).isEqualTo("t");
    assertThat(key.fingerprint()).isEqualTo(Fingerprint.of(LABELS));
    assertThat(key.fromNanos()).isEqualTo(10);
    assertThat(key.throughNanos()).isEqualTo(60);
    byte[] bytes = f.store.get(keys.get(0)).orElseThrow();
    assertThat(ChunkReader.of(keys.get(0), bytes).footer().codec()).isEqualTo(ChunkCodec.ZSTD);
    List<ChunkRef> refs = f.index.chunks("t", 0, 100);
    assertThat(refs).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo(keys.get(0));
      assertThat(r.labels()).isEqualTo(LABELS);
      assertThat(r.entries()).isEqualTo(9);
      assertThat(r.bytes()).isEqualTo(bytes.length);
    });
    assertThat(s.chunks().get(0).flushedKey()).isEqualTo(keys.get(0));
    assertThat(s.flushedThroughOffset()).isEqualTo(3);
    assertThat(s.firstUnflushedOffset()).isEqualTo(-1);
    assertThat(f.flusher.unflushedBytes()).isZero();
    assertThat(f.flusher.queueLength()).isZero();
    assertThat(lanesFlushed).hasValue(1);
  }

  @Test
  void usesTheConfiguredCodec() {
    fixture(ChunkCodec.GZIP, 1);
    StreamMemory s = stream("t");
    s.append(List.of(new LogEntry(1, "one")), 0, 0);
    SealedChunk chunk = seal(s);

    f.flusher.lane(0, () -> {}).enqueue(chunk);
    await().atMost(Duration.ofSeconds(10)).until(chunk::isFlushed);

    String key = f.chunkKeys().get(0);
    assertThat(ChunkReader.of(key, f.store.get(key).orElseThrow()).footer().codec()).isEqualTo(ChunkCodec.GZIP);
  }

  @Test
  void retriesUntilTheStoreRecoversAndWritesOneObject() {
    fixture(ChunkCodec.ZSTD, 2);
    StreamMemory s = stream("t");
    s.append(List.of(new LogEntry(1, "one"), new LogEntry(2, "two")), 7, 0);
    SealedChunk chunk = seal(s);
    f.store.fail.set(true);

    f.flusher.lane(0, lanesFlushed::incrementAndGet).enqueue(chunk);
    await().atMost(Duration.ofSeconds(10)).until(() -> f.store.failedCalls.get() >= 3);
    assertThat(chunk.isFlushed()).isFalse();
    assertThat(f.flusher.unflushedBytes()).isEqualTo(chunk.compressedBytes()).isPositive();
    assertThat(f.flusher.queueLength()).isEqualTo(1);
    assertThat(s.firstUnflushedOffset()).isEqualTo(7);

    f.store.fail.set(false);
    await().atMost(Duration.ofSeconds(10)).until(chunk::isFlushed);

    assertThat(f.chunkKeys()).hasSize(1);
    assertThat(f.entries(f.chunkKeys().get(0))).extracting(LogEntry::line).containsExactly("one", "two");
    assertThat(f.index.chunks("t", 0, 10)).hasSize(1);
    assertThat(f.flusher.unflushedBytes()).isZero();
    assertThat(lanesFlushed).hasValue(1);
  }

  @Test
  void aRetryAfterTheObjectWasStoredWritesTheSameKey() {
    fixture(ChunkCodec.ZSTD, 1);
    StreamMemory a = stream("t");
    a.append(List.of(new LogEntry(1, "one"), new LogEntry(2, "two")), 0, 0);
    StreamMemory b = stream("t");
    b.append(List.of(new LogEntry(1, "one"), new LogEntry(2, "two")), 0, 0);
    SealedChunk first = seal(a);
    SealedChunk again = seal(b);

    Flusher.Lane lane = f.flusher.lane(0, () -> {});
    lane.enqueue(first);
    await().atMost(Duration.ofSeconds(10)).until(first::isFlushed);
    lane.enqueue(again); // the same entries flushed again (a replay after a crash): same object, same key
    await().atMost(Duration.ofSeconds(10)).until(again::isFlushed);

    assertThat(f.chunkKeys()).hasSize(1);
    assertThat(b.chunks().get(0).flushedKey()).isEqualTo(a.chunks().get(0).flushedKey());
  }

  @Test
  void flushesTheChunksOfAStreamInTheOrderTheyWereSealed() {
    fixture(ChunkCodec.ZSTD, 4);
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    Flusher flusher = new Flusher(f.store, f.index, ChunkCodec.ZSTD, 1024, 4,
        new FlushBackoff(Duration.ofMillis(10), Duration.ofMillis(50)), Duration.ofSeconds(30), Clock.systemUTC(),
        new FlushObserver() {
          @Override
          public void flushed(SealReason reason, long bytes, int entries) {
            order.add(entries);
          }

          @Override
          public void failed() {}
        });
    try {
      StreamMemory s = stream("t");
      List<SealedChunk> chunks = new ArrayList<>();
      for (int i = 1; i <= 6; i++) {
        List<LogEntry> entries = new ArrayList<>();
        for (int j = 0; j < i; j++) {
          entries.add(new LogEntry(i * 100 + j, "chunk " + i + " entry " + j));
        }
        s.append(entries, i, 0);
        chunks.add(seal(s));
      }
      f.store.fail.set(true);
      Flusher.Lane lane = flusher.lane(0, () -> {});
      chunks.forEach(lane::enqueue);
      await().atMost(Duration.ofSeconds(10)).until(() -> f.store.failedCalls.get() >= 2);
      f.store.fail.set(false);
      await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 6);

      assertThat(order).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(s.flushedThroughOffset()).isEqualTo(6);
    } finally {
      flusher.close();
    }
  }

  @Test
  void aClosedLaneForgetsItsUnflushedChunksAndItsWaitEndsAtTheTimeout() throws Exception {
    fixture(ChunkCodec.ZSTD, 2);
    StreamMemory s = stream("t");
    s.append(List.of(new LogEntry(1, "one")), 0, 0);
    SealedChunk chunk = seal(s);
    f.store.fail.set(true);
    Flusher.Lane lane = f.flusher.lane(0, () -> {});
    lane.enqueue(chunk);

    assertThat(lane.awaitFlushed(Duration.ofMillis(200))).isFalse();
    assertThat(lane.pending()).isEqualTo(1);
    lane.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> f.flusher.unflushedBytes() == 0);
    assertThat(f.flusher.queueLength()).isZero();
    assertThat(lane.pending()).isZero();
    f.store.fail.set(false);
    assertThat(chunk.isFlushed()).isFalse();
    assertThat(f.chunkKeys()).isEmpty();
  }

  @Test
  void anAttemptLongerThanTheFlushOpTimeoutCountsAsFailedAndIsRetried() {
    fixture(ChunkCodec.ZSTD, 1);
    AtomicInteger failures = new AtomicInteger();
    Flusher flusher = new Flusher(f.store, f.index, ChunkCodec.ZSTD, 1024, 1,
        new FlushBackoff(Duration.ofMillis(10), Duration.ofMillis(20)), Duration.ofMillis(200), Clock.systemUTC(),
        new FlushObserver() {
          @Override
          public void flushed(SealReason reason, long bytes, int entries) {}

          @Override
          public void failed() {
            failures.incrementAndGet();
          }
        });
    try {
      StreamMemory s = stream("t");
      s.append(List.of(new LogEntry(1, "one")), 0, 0);
      SealedChunk chunk = seal(s);
      java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
      f.store.hang.set(latch);

      flusher.lane(0, () -> {}).enqueue(chunk);
      await().atMost(Duration.ofSeconds(10)).until(() -> failures.get() >= 2);
      assertThat(chunk.isFlushed()).isFalse();

      f.store.hang.set(null);
      latch.countDown();
      await().atMost(Duration.ofSeconds(10)).until(chunk::isFlushed);
      assertThat(f.chunkKeys()).hasSize(1);
    } finally {
      flusher.close();
    }
  }
}
