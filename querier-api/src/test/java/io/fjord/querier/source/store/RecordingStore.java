package io.fjord.querier.source.store;

import io.fjord.store.ObjectStore;
import io.fjord.store.ObjectStoreUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real store seen through a test seam: records every ranged read (the key of each) and can be
 * switched to fail every read and listing as an unreachable store would. Thread-safe.
 */
final class RecordingStore implements ObjectStore {
  final List<String> rangedReads = new CopyOnWriteArrayList<>();
  private final ObjectStore delegate;
  private volatile boolean down;

  RecordingStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  void down(boolean down) {
    this.down = down;
  }

  long readsOf(String key) {
    return rangedReads.stream().filter(key::equals).count();
  }

  private void check(String op, String key) {
    if (down) {
      throw new ObjectStoreUnavailableException("test store: cannot " + op + " " + key + ": connection refused", null);
    }
  }

  @Override
  public void put(String key, byte[] bytes) {
    check("put", key);
    delegate.put(key, bytes);
  }

  @Override
  public Optional<byte[]> get(String key) {
    check("get", key);
    return delegate.get(key);
  }

  @Override
  public byte[] getRange(String key, long offset, int length) {
    check("get", key);
    rangedReads.add(key);
    return delegate.getRange(key, offset, length);
  }

  @Override
  public List<String> list(String prefix) {
    check("list", prefix);
    return delegate.list(prefix);
  }

  @Override
  public List<String> listPrefixes(String prefix) {
    check("list", prefix);
    return delegate.listPrefixes(prefix);
  }

  @Override
  public void delete(String key) {
    check("delete", key);
    delegate.delete(key);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "recording(" + delegate + ")";
  }
}
