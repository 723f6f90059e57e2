package io.fjord.ingester.flush;

import io.fjord.ingester.replay.CheckpointStore;
import io.fjord.ingester.replay.CheckpointWriter;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.chunk.ScanDirection;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.ChunkKey;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.fjord.store.local.LocalObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The flush's real parts for tests: a {@link LocalObjectStore} in a temporary directory (behind a
 * {@link FailingObjectStore} seam), the real {@link ObjectStoreChunkIndex} on it, a {@link Flusher}
 * with short backoffs, and the checkpoint store and writer. Helpers read back what was flushed.
 */
public final class FlushFixture implements AutoCloseable {
  public static final String APP = "fjord-ingester-test";
  public static final String TOPIC = "logs";
  public final FailingObjectStore store;
  public final ObjectStoreChunkIndex index;
  public final Flusher flusher;
  public final CheckpointStore checkpointStore;
  public final CheckpointWriter checkpoints;

  public FlushFixture(Path dir, Clock clock) {
    this(dir, clock, ChunkCodec.ZSTD, 2);
  }

  public FlushFixture(Path dir, Clock clock, ChunkCodec codec, int concurrency) {
    store = new FailingObjectStore(new LocalObjectStore(dir));
    index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), clock);
    flusher = new Flusher(store, index, codec, 256 * 1024, concurrency,
        new FlushBackoff(Duration.ofMillis(10), Duration.ofMillis(100)), Duration.ofSeconds(30), clock,
        FlushObserver.NONE);
    checkpointStore = new CheckpointStore(store, APP, TOPIC, Duration.ofSeconds(5));
    checkpoints = new CheckpointWriter(checkpointStore);
  }

  /** Every chunk object key in the store, sorted. */
  public List<String> chunkKeys() {
    List<String> out = new ArrayList<>();
    for (String k : store.list("")) {
      if (k.contains("/chunks/")) {
        out.add(k);
      }
    }
    return out;
  }

  /** The entries of the chunk object under {@code key}, oldest first. */
  public List<LogEntry> entries(String key) {
    byte[] bytes = store.get(key).orElseThrow();
    ChunkReader reader = ChunkReader.of(key, bytes);
    List<LogEntry> out = new ArrayList<>();
    for (Iterator<LogEntry> it = reader.entries(ScanDirection.FORWARD); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  /** The chunk's key parsed. */
  public static ChunkKey parse(String key) {
    return ChunkKey.parse(key);
  }

  @Override
  public void close() {
    flusher.close();
    checkpoints.close();
    index.close();
    store.close();
  }
}
