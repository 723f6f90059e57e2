package io.fjord.store.index;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed contents of index objects by key, least recently used evicted first once their
 * estimated heap size passes a bound. Index objects are immutable, so an entry never goes stale: a
 * reader only has to list to learn which objects to ask for. Thread-safe (one lock; every
 * operation is a map lookup or insert).
 */
final class IndexObjectCache {
  private final long maxBytes;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  private record Entry(List<ChunkRef> refs, long weight) {}

  IndexObjectCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * The heap an object's parsed references take, estimated from its encoded size: each chunk's
   * ~25 encoded bytes become a ChunkRef and a ChunkKey of ~100 bytes.
   */
  static long weight(int encodedBytes) {
    return 128 + 4L * encodedBytes;
  }

  synchronized List<ChunkRef> get(String key) {
    Entry e = entries.get(key);
    return e == null ? null : e.refs();
  }

  synchronized void put(String key, List<ChunkRef> refs, int encodedBytes) {
    long w = weight(encodedBytes);
    if (w > maxBytes) {
      return;
    }
    Entry old = entries.put(key, new Entry(refs, w));
    if (old != null) {
      bytes -= old.weight();
    }
    bytes += w;
    for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); bytes > maxBytes && it.hasNext(); ) {
      bytes -= it.next().getValue().weight();
      it.remove();
    }
  }

  synchronized void remove(String key) {
    Entry old = entries.remove(key);
    if (old != null) {
      bytes -= old.weight();
    }
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized int size() {
    return entries.size();
  }
}
