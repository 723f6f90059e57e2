package io.fjord.querier.source.ingester;

import io.fjord.common.http.ApiException;

/**
 * The ingesters could not answer a query completely, so it fails rather than return partial data:
 * 503 naming the logs-topic partitions no ingester served within {@code querier.partition_wait};
 * or, where coverage cannot be judged, one ingester's failure naming it (instance id and endpoint):
 * 502 for an error answer or an unreachable ingester, 504 for a timeout; 400 when an ingester
 * rejected the request itself. Immutable.
 */
public final class IngesterException extends ApiException {
  private static final long serialVersionUID = 1L;

  IngesterException(int status, String message, Throwable cause) {
    super(status, message, cause);
  }

  static IngesterException failed(String instance, String endpoint, String why, Throwable cause) {
    return new IngesterException(502, "ingester " + instance + " (" + endpoint + ") failed: " + why, cause);
  }
}
