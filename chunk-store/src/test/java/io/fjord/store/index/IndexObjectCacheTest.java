package io.fjord.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parsed-object cache stays under its byte bound by dropping the least recently used objects. */
class IndexObjectCacheTest {
  private static final List<ChunkRef> REFS = List.of();

  @Test
  void evictsTheLeastRecentlyUsedPastTheBound() {
    long w = IndexObjectCache.weight(1000); // 128 + 4 * 1000 = 4128
    assertThat(w).isEqualTo(4128);
    IndexObjectCache cache = new IndexObjectCache(3 * w);
    cache.put("a", REFS, 1000);
    cache.put("b", REFS, 1000);
    cache.put("c", REFS, 1000);
    assertThat(cache.get("a")).isNotNull(); // a is now the most recently used
    cache.put("d", REFS, 1000);
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isNotNull();
    assertThat(cache.get("c")).isNotNull();
    assertThat(cache.get("d")).isNotNull();
    assertThat(cache.bytes()).isEqualTo(3 * w);
    cache.put("e", REFS, 2000); // 8128: two of the three must go
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.bytes()).isLessThanOrEqualTo(3 * w);
    assertThat(cache.get("e")).isNotNull();
  }

  @Test
  void anObjectLargerThanTheWholeCacheIsNotKeptAndAZeroBoundKeepsNothing() {
    IndexObjectCache small = new IndexObjectCache(1000);
    small.put("big", REFS, 1000);
    assertThat(small.get("big")).isNull();
    IndexObjectCache off = new IndexObjectCache(0);
    off.put("x", REFS, 1);
    assertThat(off.size()).isZero();
  }
}
