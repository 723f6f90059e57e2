package io.fjord.ingester.flush;

import io.fjord.ingester.chunk.SealedChunk;
import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.store.ObjectStore;
import io.fjord.store.index.ChunkIndex;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes sealed chunks to the object store on a bounded pool ({@code concurrent_flushes} threads):
 * encode ({@link ChunkWriter}), put under the deterministic key, add to the chunk index, and only
 * then mark the chunk flushed. The chunks of one stream are flushed one at a time, in the order they
 * were sealed; different streams in parallel. A failed attempt (the store or index unavailable, or
 * slower than {@code flush_op_timeout}) is logged, counted and retried after
 * {@link FlushBackoff#delay}, for as long as it takes: Fjord never drops a chunk (it stays in memory,
 * and in Kafka). Retries reuse the encoded bytes, so they write the same object under the same key.
 *
 * <p>Each partition's task enqueues through its {@link Lane}; closing the lane (the task closes)
 * forgets its chunks not flushed yet: the next owner of the partition rebuilds them from Kafka.
 * {@link #unflushedBytes()} (compressed bytes of enqueued chunks not flushed yet) drives the
 * ingester's backpressure.
 *
 * <p>Thread-safe: one monitor guards the queues; store and index calls run outside it, on an I/O
 * thread per attempt, which the pool thread waits for with the timeout.
 */
public final class Flusher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Flusher.class);

  private final ChunkWriter writer;
  private final FlushBackoff backoff;
  private final long opTimeoutMillis;
  private final Clock clock;
  private final FlushObserver observer;
  private volatile java.util.function.LongConsumer backlogListener = total -> { };
  private final ScheduledThreadPoolExecutor pool;
  private final ExecutorService io;
  /** Guarded by this. */
  private final Map<StreamMemory, StreamQueue> queues = new HashMap<>();
  /** Guarded by this. */
  private long unflushedBytes;
  /** Guarded by this. */
  private int pending;
  private volatile boolean closed;
  /**
   * Guarded by this: a lane's {@link Lane#awaitFlushed} timed out and no flush has succeeded since;
   * further waits return at once, so closing many partitions while the store is down does not take
   * one timeout each.
   */
  private boolean stalled;

  public Flusher(ObjectStore store, ChunkIndex index, ChunkCodec codec, int blockSize, int concurrency,
      FlushBackoff backoff, Duration opTimeout, Clock clock, FlushObserver observer) {
    this(store, index, codec, ChunkCodec.DEFAULT_ZSTD_LEVEL, blockSize, concurrency, backoff, opTimeout, clock,
        observer);
  }

  /** As above, encoding zstd chunks at {@code zstdLevel} ({@code ingester.chunk_zstd_level}). */
  public Flusher(ObjectStore store, ChunkIndex index, ChunkCodec codec, int zstdLevel, int blockSize,
      int concurrency, FlushBackoff backoff, Duration opTimeout, Clock clock, FlushObserver observer) {
    this.writer = new ChunkWriter(store, index, codec, blockSize, zstdLevel);
    this.backoff = backoff;
    this.opTimeoutMillis = opTimeout.toMillis();
    this.clock = clock;
    this.observer = observer;
    this.pool = new ScheduledThreadPoolExecutor(concurrency, threads("fjord-flush-"));
    this.pool.setRemoveOnCancelPolicy(true);
    this.io = Executors.newCachedThreadPool(threads("fjord-flush-io-"));
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The enqueueing handle of one partition's task; {@code onFlushed} runs after each of its chunks is flushed. */
  public Lane lane(int partition, Runnable onFlushed) {
    return new Lane(partition, onFlushed);
  }

  /**
   * Tells {@code listener} the backlog ({@link #unflushedBytes()}) after every enqueue, on the
   * enqueueing thread, outside the flusher's lock: backpressure reacts at once, not at its next tick.
   */
  public void onBacklog(java.util.function.LongConsumer listener) {
    this.backlogListener = listener;
  }

  /** Compressed bytes of the chunks enqueued and not flushed yet, over all lanes. */
  public synchronized long unflushedBytes() {
    return unflushedBytes;
  }

  /** Chunks enqueued and not flushed yet (waiting, being written, or waiting to retry). */
  public synchronized int queueLength() {
    return pending;
  }

  /** One partition's view of the flusher. Thread-safe. */
  public final class Lane {
    private final int partition;
    private final Runnable onFlushed;
    /** Guarded by the flusher. */
    private int lanePending;
    private volatile boolean laneClosed;

    private Lane(int partition, Runnable onFlushed) {
      this.partition = partition;
      this.onFlushed = onFlushed;
    }

    public int partition() {
      return partition;
    }

    /** Queues a sealed chunk behind the earlier ones of its stream. */
    public void enqueue(SealedChunk chunk) {
      long backlog;
      synchronized (Flusher.this) {
        if (laneClosed || closed) {
          return;
        }
        StreamQueue q = queues.computeIfAbsent(chunk.stream(), s -> new StreamQueue(this, s));
        q.chunks.add(new Pending(chunk));
        lanePending++;
        pending++;
        unflushedBytes += chunk.compressedBytes();
        if (!q.scheduled) {
          q.scheduled = true;
          submit(q, 0);
        }
        backlog = unflushedBytes;
      }
      backlogListener.accept(backlog);
    }

    /** Chunks of this lane not flushed yet. */
    public int pending() {
      synchronized (Flusher.this) {
        return lanePending;
      }
    }

    /**
     * Waits until every chunk of this lane is flushed, at most {@code timeout} (not at all while an
     * earlier wait timed out and nothing was flushed since); true if they are.
     */
    public boolean awaitFlushed(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (Flusher.this) {
        while (lanePending > 0 && !closed) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0 || stalled) {
            stalled = true;
            return false;
          }
          Flusher.this.wait(left);
        }
        return lanePending == 0;
      }
    }

    /** Forgets this lane's chunks that are not flushed (a write in flight still completes). */
    public void close() {
      synchronized (Flusher.this) {
        laneClosed = true;
        for (Iterator<StreamQueue> it = queues.values().iterator(); it.hasNext(); ) {
          StreamQueue q = it.next();
          if (q.lane != this) {
            continue;
          }
          for (Iterator<Pending> p = q.chunks.iterator(); p.hasNext(); ) {
            Pending c = p.next();
            if (c != q.inFlight) {
              p.remove();
              forget(q, c);
            }
          }
          if (q.chunks.isEmpty() && !q.scheduled) {
            it.remove();
          }
        }
        Flusher.this.notifyAll();
      }
    }
  }

  /** The chunks of one stream waiting for the flush, oldest first; guarded by the flusher. */
  private static final class StreamQueue {
    final Lane lane;
    final StreamMemory stream;
    final ArrayDeque<Pending> chunks = new ArrayDeque<>();
    /** A pool task for this queue is scheduled or running: at most one at a time keeps the order. */
    boolean scheduled;
    Pending inFlight;

    StreamQueue(Lane lane, StreamMemory stream) {
      this.lane = lane;
      this.stream = stream;
    }
  }

  /** One chunk's flush in progress; the fields written by I/O threads are volatile. */
  private static final class Pending {
    final SealedChunk chunk;
    volatile EncodedChunk encoded;
    volatile boolean stored;
    int failures;

    Pending(SealedChunk chunk) {
      this.chunk = chunk;
    }
  }

  /** Takes a chunk out of the counts without flushing it (its lane closed). Guarded by this. */
  private void forget(StreamQueue q, Pending c) {
    q.lane.lanePending--;
    pending--;
    unflushedBytes -= c.chunk.compressedBytes();
  }

  private void submit(StreamQueue q, long delayMillis) {
    try {
      pool.schedule(() -> run(q), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: the chunks stay unflushed and are replayed from Kafka by the next start
    }
  }

  /** Flushes the oldest chunk of {@code q}, then schedules the next one or a retry. Pool thread. */
  private void run(StreamQueue q) {
    Pending p;
    synchronized (this) {
      p = q.chunks.peek();
      if (p == null || closed) {
        q.scheduled = false;
        if (q.chunks.isEmpty()) {
          queues.remove(q.stream, q);
        }
        return;
      }
      q.inFlight = p;
    }
    Exception failure = attempt(p);
    if (failure == null) {
      // marked flushed (and the lane told) before the counts drop, so a task waiting for its lane
      // to drain sees every chunk flushed when it wakes up
      p.chunk.markFlushed(p.encoded.key(), clock.millis());
      observer.flushed(p.chunk.reason(), p.encoded.bytes().length, p.chunk.entryCount());
      try {
        q.lane.onFlushed.run();
      } catch (RuntimeException e) {
        log.warn("after-flush callback of partition {} failed: {}", q.lane.partition, e.toString());
      }
    }
    synchronized (this) {
      q.inFlight = null;
      if (failure == null) {
        stalled = false;
        q.chunks.poll();
        q.lane.lanePending--;
        pending--;
        unflushedBytes -= p.chunk.compressedBytes();
      } else if (q.lane.laneClosed) {
        q.chunks.poll();
        forget(q, p);
      }
      notifyAll();
    }
    if (failure != null && !q.lane.laneClosed && !closed) {
      p.failures++;
      observer.failed();
      Duration delay = backoff.delay(p.failures);
      // each chunk's 1st, 2nd, 4th, 8th... failure at WARN: a long outage does not flood the log
      if (Integer.bitCount(p.failures) == 1) {
        log.warn("flush of {} failed (attempt {}), retrying in {}: {}", p.chunk, p.failures, delay,
            failure.toString());
      } else {
        log.debug("flush of {} failed (attempt {}), retrying in {}: {}", p.chunk, p.failures, delay,
            failure.toString());
      }
    }
    synchronized (this) {
      if (q.chunks.isEmpty() || closed) {
        q.scheduled = false;
        if (q.chunks.isEmpty()) {
          queues.remove(q.stream, q);
        }
        return;
      }
      long delay = failure == null ? 0 : backoff.delay(Math.max(1, q.chunks.peek().failures)).toMillis();
      submit(q, delay);
    }
  }

  /** One attempt at encode (once), put (until it succeeded once) and index add; null on success. */
  private Exception attempt(Pending p) {
    Future<?> f;
    try {
      f = io.submit(() -> {
        if (p.encoded == null) {
          p.encoded = writer.encode(p.chunk);
          p.chunk.encodedAs(p.encoded.key());
        }
        if (!p.stored) {
          writer.store(p.encoded);
          p.stored = true;
        }
        writer.index(p.encoded);
        return null;
      });
    } catch (RejectedExecutionException e) {
      return e;
    }
    try {
      f.get(opTimeoutMillis, TimeUnit.MILLISECONDS);
      return null;
    } catch (TimeoutException e) {
      f.cancel(true);
      return new TimeoutException("flush attempt took longer than flush_op_timeout (" + opTimeoutMillis + " ms)");
    } catch (ExecutionException e) {
      return e.getCause() instanceof Exception x ? x : e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      return e;
    }
  }

  /** Stops flushing: pending chunks stay unflushed (replay rebuilds them). Waits briefly for running writes. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      notifyAll();
    }
    pool.shutdownNow();
    io.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
      io.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests and logs: the chunks waiting per partition. */
  synchronized List<Integer> pendingPartitions() {
    List<Integer> out = new ArrayList<>();
    for (StreamQueue q : queues.values()) {
      for (int i = 0; i < q.chunks.size(); i++) {
        out.add(q.lane.partition);
      }
    }
    return out;
  }
}
