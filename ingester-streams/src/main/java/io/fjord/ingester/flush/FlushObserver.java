package io.fjord.ingester.flush;

import io.fjord.ingester.chunk.SealReason;

/**
 * What the flush reports to metrics: a chunk flushed (why it was sealed, its object size and entry
 * count), a failed attempt. Implementations are thread-safe (flush threads call them).
 */
public interface FlushObserver {
  FlushObserver NONE = new FlushObserver() {
    @Override
    public void flushed(SealReason reason, long bytes, int entries) {}

    @Override
    public void failed() {}
  };

  void flushed(SealReason reason, long bytes, int entries);

  void failed();
}
