package io.fjord.ingester.flush;

/**
 * When to pause and resume consumption, from the bytes of sealed chunks waiting for the flush:
 * pause once they exceed {@code max_unflushed_bytes}, resume once they fall below three quarters of
 * it (the gap keeps a flush or two from flapping the consumer). Pure and not thread-safe: one
 * caller (the ingester's scheduler thread).
 */
public final class Backpressure {
  private final long high;
  private final long low;
  private boolean paused;

  public Backpressure(long maxUnflushedBytes) {
    this.high = maxUnflushedBytes;
    this.low = maxUnflushedBytes / 4 * 3;
  }

  /** The decision for the current backlog: {@code PAUSE}, {@code RESUME}, or {@code null} to keep the state. */
  public Change update(long unflushedBytes) {
    if (!paused && unflushedBytes > high) {
      paused = true;
      return Change.PAUSE;
    }
    if (paused && unflushedBytes < low) {
      paused = false;
      return Change.RESUME;
    }
    return null;
  }

  public boolean paused() {
    return paused;
  }

  public enum Change { PAUSE, RESUME }
}
