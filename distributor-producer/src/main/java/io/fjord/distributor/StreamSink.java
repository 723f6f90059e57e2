package io.fjord.distributor;

import io.fjord.schemas.record.StreamBatch;
import java.util.List;

/**
 * Where accepted batches go: the logs topic in production, a list in tests. {@link #write} returns
 * only once every batch is durably stored; otherwise it throws a
 * {@link io.fjord.distributor.push.PushException} of kind UNAVAILABLE. Implementations are
 * thread-safe.
 */
public interface StreamSink {
  void write(List<StreamBatch> batches);
}
