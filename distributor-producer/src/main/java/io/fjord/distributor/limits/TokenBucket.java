package io.fjord.distributor.limits;

/**
 * A token bucket of bytes: refills at {@code rate} bytes per second up to {@code burst}, starts
 * full, and grants a request of n bytes only whole (never partly, and never when n exceeds the
 * burst), as Go's {@code rate.Limiter.AllowN} which Loki uses. Time is passed in by the caller.
 * Not thread-safe: the owner serialises calls.
 */
final class TokenBucket {
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(double bytesPerSecond, double burst, long nowNanos) {
    this.ratePerNano = bytesPerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** Takes {@code n} tokens if there are that many at {@code nowNanos}; otherwise takes none. */
  boolean tryTake(long n, long nowNanos) {
    refill(nowNanos);
    if (n > tokens) {
      return false;
    }
    tokens -= n;
    return true;
  }

  /** Whether the bucket is full at {@code nowNanos}, i.e. indistinguishable from a new one. */
  boolean isFull(long nowNanos) {
    refill(nowNanos);
    return tokens >= burst;
  }

  double tokens(long nowNanos) {
    refill(nowNanos);
    return tokens;
  }

  private void refill(long nowNanos) {
    if (nowNanos > lastNanos) {
      tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
      lastNanos = nowNanos;
    }
  }
}
