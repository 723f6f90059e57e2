package io.fjord.querier.source.ingester;

import io.fjord.common.http.ApiException;

/**
 * One ingester could not answer a query, so the query fails rather than return partial data. The
 * message names the ingester (instance id and endpoint) and what went wrong: 502 for an error answer
 * or an unreachable ingester, 504 for a timeout, 400 when the ingester rejected the request itself.
 * Immutable.
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
