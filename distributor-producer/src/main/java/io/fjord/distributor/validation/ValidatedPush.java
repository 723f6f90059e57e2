package io.fjord.distributor.validation;

import io.fjord.schemas.record.StreamBatch;
import java.util.List;

/**
 * The outcome of validating a push: the accepted entries grouped into one batch per stream (in
 * first-pushed order, entries in push order), what was rejected, and the size Loki's rate limit
 * counts (line bytes plus structured-metadata bytes of the accepted entries). Immutable.
 */
public record ValidatedPush(List<StreamBatch> batches, List<Rejection> rejections, long bytes, int lines) {
  public ValidatedPush {
    batches = List.copyOf(batches);
    rejections = List.copyOf(rejections);
  }

  public boolean hasRejections() {
    return !rejections.isEmpty();
  }

  /** The 400 answer's text listing the rejections, worded like Loki's; empty when none. */
  public String rejectionSummary() {
    return Rejections.summary(rejections);
  }
}
