package io.fjord.schemas.ingester;

import java.util.List;
import java.util.Map;

/**
 * The querier ↔ ingester protocol, version 1: JSON over HTTP on the ingester's port (layout in
 * schemas/FORMATS.md). The querier asks every live ingester (see {@link IngesterMember}); each
 * answers for the partitions it owns at that moment, and the querier merges and de-duplicates.
 * All timestamps are Unix nanoseconds; time ranges are {@code start <= ts < end}.
 */
public final class IngesterProtocol {
  public static final int VERSION = 1;
  public static final String QUERY_PATH = "/ingester/v1/query";
  public static final String LABELS_PATH = "/ingester/v1/labels";
  public static final String SERIES_PATH = "/ingester/v1/series";

  private IngesterProtocol() {}

  public enum Direction { FORWARD, BACKWARD }

  /**
   * Entries of a log query: {@code query} is a LogQL log selector with its pipeline. At most
   * {@code limit} entries overall, the first ones in {@code direction}.
   */
  public record QueryRequest(int version, List<String> tenants, String query, long startNanos, long endNanos,
      int limit, Direction direction) {}

  /** One stream of the answer: its labels after the pipeline, its entries in the asked direction. */
  public record StreamResult(String tenant, Map<String, String> labels, List<Entry> entries) {}

  public record Entry(long ts, String line) {}

  public record QueryResponse(int version, List<StreamResult> streams) {}

  /**
   * Label names ({@code name == null}) or the values of label {@code name}, of streams with data in
   * the range, optionally only streams matching the selector {@code query}.
   */
  public record LabelsRequest(int version, List<String> tenants, long startNanos, long endNanos, String name,
      String query) {}

  public record LabelsResponse(int version, List<String> values) {}

  /** Streams with data in the range that match any of the selectors in {@code match}. */
  public record SeriesRequest(int version, List<String> tenants, long startNanos, long endNanos, List<String> match) {}

  public record Series(String tenant, Map<String, String> labels) {}

  public record SeriesResponse(int version, List<Series> series) {}
}
