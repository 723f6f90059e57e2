package io.fjord.store.index;

import java.util.function.LongSupplier;

/**
 * Holds a caller to a rate in bytes per second: {@link #acquire} waits as long as the bytes already
 * acquired need at that rate, then charges its own (so work runs in bursts of one request, and on
 * average at the rate). Used by recompression to bound the CPU the compactor spends. A rate of 0 never
 * waits. Time and sleeping are injected for tests. Single thread (the compactor's).
 */
final class ByteRateLimiter {
  /** Sleeps for a number of nanoseconds. */
  @FunctionalInterface
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final double bytesPerSecond;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long nextFreeNanos;
  private boolean started;

  ByteRateLimiter(double bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (!(bytesPerSecond >= 0) || Double.isInfinite(bytesPerSecond)) {
      throw new IllegalArgumentException("rate must be 0 (no limit) or positive, got " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** A limiter on the system's monotonic clock, {@code mbPerSecond} MB (2^20 bytes) per second. */
  static ByteRateLimiter ofMb(double mbPerSecond) {
    return new ByteRateLimiter(mbPerSecond * (1 << 20), System::nanoTime,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  /**
   * Waits until the bytes acquired before may have been processed, then charges {@code bytes}.
   *
   * @throws InterruptedException when the thread is interrupted while waiting (the compactor is closing)
   */
  void acquire(long bytes) throws InterruptedException {
    if (bytesPerSecond == 0) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (!started || nextFreeNanos - now < 0) {
      nextFreeNanos = now;
      started = true;
    }
    long wait = nextFreeNanos - now;
    nextFreeNanos += (long) (bytes / bytesPerSecond * 1e9);
    if (wait > 0) {
      sleeper.sleepNanos(wait);
    }
  }
}
