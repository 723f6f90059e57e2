package io.fjord.distributor.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {
  @Test
  void returnsWhatWasPutAndNothingForUnknownKeys() {
    BoundedCache<String, Integer> cache = new BoundedCache<>(10);
    cache.put("a", 1);
    assertThat(cache.get("a")).isEqualTo(1);
    assertThat(cache.get("b")).isNull();
  }

  @Test
  void neverHoldsMoreThanItsCapacityHoweverManyKeysArrive() {
    BoundedCache<Integer, Integer> cache = new BoundedCache<>(3);
    for (int i = 0; i < 100; i++) {
      cache.put(i, i * 2);
      assertThat(cache.size()).isBetween(1, 3);
      assertThat(cache.get(i)).isEqualTo(i * 2); // the newest entry always survives its own insertion
    }
  }

  @Test
  void aFullCacheIsEmptiedBeforeTheNextEntry() {
    BoundedCache<Integer, Integer> cache = new BoundedCache<>(2);
    cache.put(1, 1);
    cache.put(2, 2);
    cache.put(3, 3);
    assertThat(cache.get(1)).isNull();
    assertThat(cache.get(2)).isNull();
    assertThat(cache.get(3)).isEqualTo(3);
  }

  @Test
  void refusesANonPositiveCapacity() {
    assertThatThrownBy(() -> new BoundedCache<>(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
