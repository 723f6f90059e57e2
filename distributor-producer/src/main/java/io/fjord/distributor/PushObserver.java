package io.fjord.distributor;

import io.fjord.distributor.validation.RejectionReason;

/**
 * Told what {@link PushService} did with each push, for metrics: what validation accepted (before
 * the rate limit, as Loki counts received data) and what was discarded, by reason. Implementations
 * are thread-safe and cheap (called on the push path).
 */
public interface PushObserver {
  PushObserver NONE = new PushObserver() {
    @Override
    public void received(String tenant, int lines, long bytes) {}

    @Override
    public void discarded(String tenant, RejectionReason reason, int entries, long bytes) {}
  };

  /** Validation accepted {@code lines} entries of {@code bytes} (line plus structured-metadata bytes). */
  void received(String tenant, int lines, long bytes);

  /** {@code entries} were dropped for {@code reason}; {@code bytes} is 0 where validation did not size them. */
  void discarded(String tenant, RejectionReason reason, int entries, long bytes);
}
