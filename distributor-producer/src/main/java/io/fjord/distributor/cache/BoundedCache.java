package io.fjord.distributor.cache;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map of at most {@code capacity} entries for values that are pure functions of their
 * keys (parsed and validated label sets, as Loki's distributor keeps them): a cache that is full is
 * emptied before the next entry goes in. Emptying is cruder than LRU eviction but costs nothing per
 * hit, and hits are what the push path needs to be cheap; with more distinct keys than
 * {@code capacity} in use, the cache only repeats the work it would otherwise save. Memory is
 * bounded by {@code capacity} whatever clients send. Thread-safe.
 */
public final class BoundedCache<K, V> {
  private final int capacity;
  private final ConcurrentHashMap<K, V> map;

  public BoundedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    this.map = new ConcurrentHashMap<>(Math.min(capacity, 1024));
  }

  /** The value cached for {@code key}, or null. */
  public V get(K key) {
    return map.get(key);
  }

  /** Caches {@code value} for {@code key}, first emptying the cache if it is full. */
  public void put(K key, V value) {
    if (map.size() >= capacity) {
      map.clear();
    }
    map.put(key, value);
  }

  /** Entries held now. */
  public int size() {
    return map.size();
  }
}
