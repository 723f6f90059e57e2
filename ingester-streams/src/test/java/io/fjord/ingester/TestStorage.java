package io.fjord.ingester;

import io.fjord.ingester.flush.FailingObjectStore;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.chunk.ScanDirection;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.fjord.store.local.LocalObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A real local object store in a directory (behind a {@link FailingObjectStore} seam) and the real
 * chunk index on it, as an ingester's {@link IngesterStorage}; helpers read back what was flushed.
 */
record TestStorage(FailingObjectStore store, ObjectStoreChunkIndex index) implements AutoCloseable {

  static TestStorage in(Path dir) {
    FailingObjectStore store = new FailingObjectStore(new LocalObjectStore(dir));
    return new TestStorage(store, ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), Clock.systemUTC()));
  }

  IngesterStorage storage() {
    return new IngesterStorage(store, index);
  }

  /** Every chunk object key. */
  List<String> chunkKeys() {
    return store.list("").stream().filter(k -> k.contains("/chunks/")).toList();
  }

  /** The lines of every flushed chunk, one per entry. */
  List<String> storedLines() {
    List<String> out = new ArrayList<>();
    for (String key : chunkKeys()) {
      out.addAll(linesOf(key));
    }
    return out;
  }

  /** The lines of one chunk object, oldest first. */
  List<String> linesOf(String key) {
    List<String> out = new ArrayList<>();
    ChunkReader r = ChunkReader.of(key, store.get(key).orElseThrow());
    for (Iterator<LogEntry> it = r.entries(ScanDirection.FORWARD); it.hasNext(); ) {
      out.add(it.next().line());
    }
    return out;
  }

  @Override
  public void close() {
    index.close();
    store.close();
  }
}
