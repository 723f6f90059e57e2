package io.fjord.ingester.flush;

import io.fjord.store.ObjectStore;
import io.fjord.store.ObjectStoreUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test seam around a real store: while {@link #fail} is set, every call throws
 * {@link ObjectStoreUnavailableException} as an unreachable store would; it counts puts per key
 * so that tests can see retries. Thread-safe.
 */
public final class FailingObjectStore implements ObjectStore {
  private final ObjectStore real;
  public final AtomicBoolean fail = new AtomicBoolean();
  public final AtomicInteger failedCalls = new AtomicInteger();
  public final AtomicInteger puts = new AtomicInteger();
  /** While set, puts wait for this latch (a store that hangs) before they go on. */
  public final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> hang =
      new java.util.concurrent.atomic.AtomicReference<>();

  public FailingObjectStore(ObjectStore real) {
    this.real = real;
  }

  private void maybeFail(String op, String key) {
    if (fail.get()) {
      failedCalls.incrementAndGet();
      throw new ObjectStoreUnavailableException(op + " " + key + ": the test store is down", null);
    }
  }

  @Override
  public void put(String key, byte[] bytes) {
    maybeFail("put", key);
    java.util.concurrent.CountDownLatch latch = hang.get();
    if (latch != null) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ObjectStoreUnavailableException("put " + key + ": interrupted", e);
      }
    }
    real.put(key, bytes);
    puts.incrementAndGet();
  }

  @Override
  public Optional<byte[]> get(String key) {
    maybeFail("get", key);
    return real.get(key);
  }

  @Override
  public byte[] getRange(String key, long offset, int length) {
    maybeFail("getRange", key);
    return real.getRange(key, offset, length);
  }

  @Override
  public List<String> list(String prefix) {
    maybeFail("list", prefix);
    return real.list(prefix);
  }

  @Override
  public List<String> listPrefixes(String prefix) {
    maybeFail("listPrefixes", prefix);
    return real.listPrefixes(prefix);
  }

  @Override
  public void delete(String key) {
    maybeFail("delete", key);
    real.delete(key);
  }

  @Override
  public void close() {
    real.close();
  }
}
