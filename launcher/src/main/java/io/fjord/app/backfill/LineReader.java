package io.fjord.app.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.distributor.push.LabelPair;
import io.fjord.distributor.push.PushedEntry;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one record of the source topic into a log entry and its stream's labels, before the push
 * API's validation: the line is the value as UTF-8 (invalid bytes become U+FFFD); the labels are the
 * {@code --labels} set plus, for json and logfmt, the named fields of the line that are present and
 * not empty (JSON strings as they are, numbers and booleans as written, objects and arrays as JSON
 * text); the time is the {@code --timestamp-from} field ({@link Timestamps}) or the record's Kafka
 * timestamp.
 *
 * <p>Timestamps without a sub-millisecond part (every Kafka timestamp, most field times) get the
 * record's offset modulo 10^6 added as nanoseconds. The ingester drops an entry with the same
 * stream, timestamp and line as one it holds (a redelivery); without this, two equal lines logged
 * in the same millisecond, distinct records, would be taken for one. The tie-break depends only on
 * the record, so a backfill run again after an interruption makes the very same entries, which the
 * ingester then does drop. Thread-safe (no mutable state).
 */
final class LineReader {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Comparator<LabelPair> BY_NAME = Comparator.comparing(LabelPair::name);
  static final long TIE_BREAK_MODULUS = 1_000_000;

  private final LineSpec spec;
  private final Set<String> fields = new HashSet<>();

  LineReader(LineSpec spec) {
    this.spec = spec;
    fields.addAll(spec.labelFields().values());
    if (spec.timestampField() != null) {
      fields.add(spec.timestampField());
    }
  }

  /** What a record became: a line of a stream, or the reason it could not become one. */
  sealed interface Result permits Line, Failure {}

  /** @param labels sorted by name */
  record Line(List<LabelPair> labels, PushedEntry entry) implements Result {}

  record Failure(BackfillReason reason, String message) implements Result {}

  Result read(SourceRecord r) {
    if (r.value() == null) {
      return new Failure(BackfillReason.NO_VALUE, where(r) + "has no value (a tombstone)");
    }
    String line = new String(r.value(), StandardCharsets.UTF_8);
    Map<String, String> values;
    String timeText = null;
    BigDecimal timeNumber = null;
    switch (spec.format()) {
      case RAW -> values = Map.of();
      case LOGFMT -> {
        values = fields.isEmpty() ? Map.of() : LogfmtFields.read(line, fields);
        timeText = spec.timestampField() != null ? values.get(spec.timestampField()) : null;
      }
      case JSON -> {
        JsonNode root;
        try {
          root = JSON.readTree(r.value());
        } catch (JsonProcessingException e) {
          return new Failure(BackfillReason.INVALID_JSON, where(r) + "is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
          return new Failure(BackfillReason.INVALID_JSON, where(r) + "is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
          return new Failure(BackfillReason.INVALID_JSON, where(r) + "is not a JSON object");
        }
        values = new HashMap<>();
        for (String f : fields) {
          JsonNode v = root.get(f);
          if (v != null && !v.isNull()) {
            values.put(f, v.isValueNode() ? v.asText() : v.toString());
          }
        }
        if (spec.timestampField() != null) {
          JsonNode t = root.get(spec.timestampField());
          if (t != null && t.isNumber()) {
            timeNumber = t.decimalValue();
          } else {
            timeText = values.get(spec.timestampField());
          }
        }
      }
      default -> throw new IllegalStateException("unknown format " + spec.format());
    }
    long ts;
    if (spec.timestampField() == null) {
      try {
        ts = Math.multiplyExact(r.timestampMillis(), 1_000_000L);
      } catch (ArithmeticException e) {
        return new Failure(BackfillReason.INVALID_TIMESTAMP, where(r) + "has the Kafka timestamp " + r.timestampMillis()
            + ", out of range");
      }
    } else if (timeText == null && timeNumber == null) {
      return new Failure(BackfillReason.MISSING_TIMESTAMP, where(r) + "has no field \"" + spec.timestampField() + "\"");
    } else {
      try {
        ts = timeNumber != null ? Timestamps.unix(timeNumber) : Timestamps.parse(timeText);
      } catch (IllegalArgumentException e) {
        return new Failure(BackfillReason.INVALID_TIMESTAMP,
            where(r) + "field \"" + spec.timestampField() + "\": " + e.getMessage());
      }
    }
    if (ts % TIE_BREAK_MODULUS == 0) {
      ts += r.offset() % TIE_BREAK_MODULUS;
    }
    return new Line(labels(values), new PushedEntry(ts, line));
  }

  private List<LabelPair> labels(Map<String, String> values) {
    if (spec.labelFields().isEmpty()) {
      return spec.labels(); // already sorted by BackfillOptions
    }
    List<LabelPair> out = new ArrayList<>(spec.labels());
    spec.labelFields().forEach((label, field) -> {
      String v = values.get(field);
      if (v != null && !v.isEmpty()) {
        out.add(new LabelPair(label, v));
      }
    });
    out.sort(BY_NAME);
    return out;
  }

  private static String where(SourceRecord r) {
    return "record " + r.partition() + "@" + r.offset() + " ";
  }
}
