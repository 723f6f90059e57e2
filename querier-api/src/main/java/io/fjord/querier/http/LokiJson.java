package io.fjord.querier.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fjord.querier.engine.DetectedFields;
import io.fjord.querier.engine.IndexStatistics;
import io.fjord.querier.engine.MatrixResult;
import io.fjord.querier.engine.MetricSeries;
import io.fjord.querier.engine.QueryResult;
import io.fjord.querier.engine.QueryStats;
import io.fjord.querier.engine.ResultStream;
import io.fjord.querier.engine.ScalarResult;
import io.fjord.querier.engine.StreamsResult;
import io.fjord.querier.engine.VectorResult;
import io.fjord.querier.engine.VectorSample;
import io.fjord.querier.source.Entry;
import io.fjord.schemas.labels.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Writes the querier's answers in Loki's JSON shapes: {@code {"status":"success","data":...}} with
 * {@code resultType}/{@code result}/{@code stats} for queries, a sorted string list for labels, a
 * list of label objects for series, and the build-info object. Entry timestamps are nanosecond
 * strings; metric samples are {@code [seconds, "value"]} pairs ({@link SampleFormat}), except that
 * a scalar's time is in milliseconds, as Loki writes it; label objects list names in sorted order. Streams straight to bytes with Jackson's
 * generator (no intermediate tree). Stateless and thread-safe.
 */
public final class LokiJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final String[] STORE_CHUNK_FIELDS = {"headChunkBytes", "headChunkLines", "decompressedBytes",
      "decompressedLines", "compressedBytes", "totalDuplicates", "postFilterLines",
      "headChunkStructuredMetadataBytes", "decompressedStructuredMetadataBytes"};
  private static final String[] CACHES = {"chunk", "index", "result", "statsResult", "volumeResult",
      "seriesResult", "labelResult", "instantMetricResult"};
  private static final String[] CACHE_FIELDS = {"entriesFound", "entriesRequested", "entriesStored",
      "bytesReceived", "bytesSent", "requests", "downloadTime", "queryLengthServed"};

  private LokiJson() {}

  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** A query answer: {@code {"status":"success","data":{"resultType":..,"result":[..],"stats":{..}}}}. */
  public static byte[] queryResult(QueryResult result) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeObjectFieldStart("data");
      if (result instanceof StreamsResult streams) {
        g.writeStringField("resultType", "streams");
        g.writeArrayFieldStart("result");
        for (ResultStream s : streams.streams()) {
          writeStream(g, s);
        }
        g.writeEndArray();
      } else if (result instanceof MatrixResult matrix) {
        g.writeStringField("resultType", "matrix");
        g.writeArrayFieldStart("result");
        for (MetricSeries s : matrix.series()) {
          writeSeries(g, s);
        }
        g.writeEndArray();
      } else if (result instanceof VectorResult vector) {
        g.writeStringField("resultType", "vector");
        g.writeArrayFieldStart("result");
        for (VectorSample s : vector.samples()) {
          g.writeStartObject();
          g.writeFieldName("metric");
          writeLabels(g, s.labels());
          g.writeFieldName("value");
          writeSample(g, SampleFormat.seconds(vector.timeNanos()), s.value());
          g.writeEndObject();
        }
        g.writeEndArray();
      } else if (result instanceof ScalarResult scalar) {
        g.writeStringField("resultType", "scalar");
        g.writeFieldName("result");
        writeSample(g, Long.toString(SampleFormat.millis(scalar.timeNanos())), scalar.value());
      } else {
        throw new IllegalArgumentException("no JSON shape for " + result.getClass().getSimpleName());
      }
      g.writeFieldName("stats");
      writeStats(g, result.stats());
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /**
   * Labels or label values: {@code {"status":"success","data":["a","b"]}}. With no values Loki
   * leaves {@code data} out entirely ({@code {"status":"success"}}), and so do we.
   */
  public static byte[] stringList(List<String> values) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("status", "success");
      if (values.isEmpty()) {
        g.writeEndObject();
        return;
      }
      g.writeArrayFieldStart("data");
      for (String v : values) {
        g.writeString(v);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /**
   * A tail message: {@code {"streams":[{"stream":{..},"values":[["<ns>","line"],..]},..]}}. Loki
   * leaves {@code dropped_entries} out when nothing was dropped, and a polling tail drops nothing.
   */
  public static byte[] tailResponse(List<ResultStream> streams) {
    return write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("streams");
      for (ResultStream s : streams) {
        writeStream(g, s);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /** Index statistics: {@code {"streams":N,"chunks":N,"bytes":N,"entries":N}} (not wrapped, as in Loki). */
  public static byte[] indexStats(IndexStatistics.Stats stats) {
    return write(g -> {
      g.writeStartObject();
      g.writeNumberField("streams", stats.streams());
      g.writeNumberField("chunks", stats.chunks());
      g.writeNumberField("bytes", stats.bytes());
      g.writeNumberField("entries", stats.entries());
      g.writeEndObject();
    });
  }

  /** Detected labels: {@code {"detectedLabels":[{"label":"app","cardinality":2},..]}}. */
  public static byte[] detectedLabels(SortedMap<String, Integer> cardinalities) {
    return write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("detectedLabels");
      for (Map.Entry<String, Integer> e : cardinalities.entrySet()) {
        g.writeStartObject();
        g.writeStringField("label", e.getKey());
        g.writeNumberField("cardinality", e.getValue());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /**
   * Detected fields: {@code {"fields":[{"label":..,"type":..,"cardinality":N,"parsers":[..]},..],
   * "limit":N}}.
   */
  public static byte[] detectedFields(List<DetectedFields.Field> fields, int limit) {
    return write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("fields");
      for (DetectedFields.Field f : fields) {
        g.writeStartObject();
        g.writeStringField("label", f.label());
        g.writeStringField("type", f.type());
        g.writeNumberField("cardinality", f.cardinality());
        g.writeArrayFieldStart("parsers");
        for (String p : f.parsers()) {
          g.writeString(p);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("limit", limit);
      g.writeEndObject();
    });
  }

  /** A detected field's values: {@code {"values":[..],"limit":N}}. */
  public static byte[] detectedFieldValues(List<String> values, int limit) {
    return write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("values");
      for (String v : values) {
        g.writeString(v);
      }
      g.writeEndArray();
      g.writeNumberField("limit", limit);
      g.writeEndObject();
    });
  }

  /** A formatted query: {@code {"status":"success","data":"<query>"}}. */
  public static byte[] formattedQuery(String query) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeStringField("data", query);
      g.writeEndObject();
    });
  }

  /** Series: {@code {"status":"success","data":[{"a":"1"},..]}}. */
  public static byte[] series(List<Labels> series) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeArrayFieldStart("data");
      for (Labels l : series) {
        writeLabels(g, l);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  public static byte[] buildInfo(BuildInfo info) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("version", info.version());
      g.writeStringField("revision", info.revision());
      g.writeStringField("branch", info.branch());
      g.writeStringField("buildUser", info.buildUser());
      g.writeStringField("buildDate", info.buildDate());
      g.writeStringField("goVersion", info.goVersion());
      g.writeEndObject();
    });
  }

  private static void writeStream(JsonGenerator g, ResultStream s) throws IOException {
    g.writeStartObject();
    g.writeFieldName("stream");
    writeLabels(g, s.labels());
    g.writeArrayFieldStart("values");
    for (Entry e : s.entries()) {
      g.writeStartArray();
      g.writeString(Long.toString(e.tsNanos()));
      g.writeString(e.line());
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeSeries(JsonGenerator g, MetricSeries s) throws IOException {
    g.writeStartObject();
    g.writeFieldName("metric");
    writeLabels(g, s.labels());
    g.writeArrayFieldStart("values");
    for (int i = 0; i < s.size(); i++) {
      writeSample(g, SampleFormat.seconds(s.timestampsNanos()[i]), s.values()[i]);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** {@code [time, "value"]}, the time already formatted as a JSON number. */
  private static void writeSample(JsonGenerator g, String time, double value) throws IOException {
    g.writeStartArray();
    g.writeNumber(time);
    g.writeString(SampleFormat.value(value));
    g.writeEndArray();
  }

  private static void writeLabels(JsonGenerator g, Labels labels) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < labels.size(); i++) {
      g.writeStringField(labels.name(i), labels.value(i));
    }
    g.writeEndObject();
  }

  /** Loki's statistics object; what the querier does not measure is zero. */
  private static void writeStats(JsonGenerator g, QueryStats s) throws IOException {
    double exec = s.execTimeSeconds();
    g.writeStartObject();
    g.writeObjectFieldStart("summary");
    g.writeNumberField("bytesProcessedPerSecond", exec > 0 ? (long) (s.bytesProcessed() / exec) : 0);
    g.writeNumberField("linesProcessedPerSecond", exec > 0 ? (long) (s.linesProcessed() / exec) : 0);
    g.writeNumberField("totalBytesProcessed", s.bytesProcessed());
    g.writeNumberField("totalLinesProcessed", s.linesProcessed());
    g.writeNumberField("execTime", exec);
    g.writeNumberField("queueTime", 0.0);
    g.writeNumberField("subqueries", 0);
    g.writeNumberField("totalEntriesReturned", s.entriesReturned());
    g.writeNumberField("splits", 0);
    g.writeNumberField("shards", 0);
    g.writeNumberField("totalPostFilterLines", s.linesProcessed());
    g.writeNumberField("totalStructuredMetadataBytesProcessed", 0);
    g.writeEndObject();

    g.writeObjectFieldStart("querier");
    g.writeFieldName("store");
    writeStore(g, 0, 0);
    g.writeEndObject();

    g.writeObjectFieldStart("ingester");
    g.writeNumberField("totalReached", s.ingestersReached());
    g.writeNumberField("totalChunksMatched", 0);
    g.writeNumberField("totalBatches", s.ingestersReached());
    g.writeNumberField("totalLinesSent", s.linesProcessed());
    g.writeFieldName("store");
    writeStore(g, s.linesProcessed(), s.duplicates());
    g.writeEndObject();

    g.writeObjectFieldStart("cache");
    for (String cache : CACHES) {
      g.writeObjectFieldStart(cache);
      for (String f : CACHE_FIELDS) {
        g.writeNumberField(f, 0);
      }
      g.writeEndObject();
    }
    g.writeEndObject();

    g.writeObjectFieldStart("index");
    g.writeNumberField("totalChunks", 0);
    g.writeNumberField("postFilterChunks", 0);
    g.writeNumberField("shardsDuration", 0);
    g.writeBooleanField("usedBloomFilters", false);
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeStore(JsonGenerator g, long postFilterLines, long duplicates)
      throws IOException {
    g.writeStartObject();
    g.writeNumberField("totalChunksRef", 0);
    g.writeNumberField("totalChunksDownloaded", 0);
    g.writeNumberField("chunksDownloadTime", 0);
    g.writeBooleanField("queryReferencedStructuredMetadata", false);
    g.writeObjectFieldStart("chunk");
    for (String f : STORE_CHUNK_FIELDS) {
      long value = switch (f) {
        case "postFilterLines" -> postFilterLines;
        case "totalDuplicates" -> duplicates;
        default -> 0;
      };
      g.writeNumberField(f, value);
    }
    g.writeEndObject();
    g.writeNumberField("chunkRefsFetchTime", 0);
    g.writeNumberField("congestionControlLatency", 0);
    g.writeNumberField("pipelineWrapperFilteredLines", 0);
    g.writeEndObject();
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
