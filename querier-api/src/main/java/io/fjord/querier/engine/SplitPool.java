package io.fjord.querier.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process-wide pool that runs queries' time splits: twice as many daemon threads as
 * cores (at least 4), since a split mostly waits on an ingester or the object store. Each query
 * bounds its own share with {@code max_query_parallelism}. Created on first use; thread-safe.
 */
public final class SplitPool {
  private SplitPool() {}

  private static final class Holder {
    static final ExecutorService POOL = create();
  }

  public static ExecutorService shared() {
    return Holder.POOL;
  }

  private static ExecutorService create() {
    int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "fjord-query-split-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
