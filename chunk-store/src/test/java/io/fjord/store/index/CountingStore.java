package io.fjord.store.index;

import io.fjord.store.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A test seam around a real store: counts the calls per operation and can run an action just before
 * a get (to delete objects between a reader's list and its get). Thread-safe.
 */
class CountingStore implements ObjectStore {
  private final ObjectStore delegate;
  final AtomicInteger gets = new AtomicInteger();
  final AtomicInteger lists = new AtomicInteger();
  final AtomicInteger listPrefixes = new AtomicInteger();
  final AtomicInteger puts = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final Map<String, AtomicInteger> getsByKey = new ConcurrentHashMap<>();
  volatile Consumer<String> beforeGet = k -> {};

  CountingStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  void reset() {
    gets.set(0);
    lists.set(0);
    listPrefixes.set(0);
    puts.set(0);
    deletes.set(0);
    getsByKey.clear();
  }

  @Override
  public void put(String key, byte[] bytes) {
    puts.incrementAndGet();
    delegate.put(key, bytes);
  }

  @Override
  public Optional<byte[]> get(String key) {
    beforeGet.accept(key);
    gets.incrementAndGet();
    getsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    return delegate.get(key);
  }

  @Override
  public byte[] getRange(String key, long offset, int length) {
    return delegate.getRange(key, offset, length);
  }

  @Override
  public List<String> list(String prefix) {
    lists.incrementAndGet();
    return delegate.list(prefix);
  }

  @Override
  public List<String> listPrefixes(String prefix) {
    listPrefixes.incrementAndGet();
    return delegate.listPrefixes(prefix);
  }

  @Override
  public void delete(String key) {
    deletes.incrementAndGet();
    delegate.delete(key);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
