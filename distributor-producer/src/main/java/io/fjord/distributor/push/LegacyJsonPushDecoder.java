package io.fjord.distributor.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the JSON shape of Loki's legacy {@code /api/prom/push} endpoint with Jackson's streaming
 * parser:
 *
 * <pre>
 * {"streams": [{"labels": "{app=\"api\"}",
 *               "entries": [{"ts": "2024-01-02T03:04:05.123456789Z", "line": "a line"}]}]}
 * </pre>
 *
 * Labels are selector text (read like the protobuf push's); timestamps are RFC 3339 with up to
 * nanosecond precision. Unknown fields are skipped. Stateless and thread-safe.
 */
final class LegacyJsonPushDecoder {
  private final JsonFactory factory;

  LegacyJsonPushDecoder(long maxStringLength) {
    this.factory = JsonTokens.factory(maxStringLength);
  }

  List<PushedStream> decode(InputStream in) {
    return JsonTokens.parse(factory, in, LegacyJsonPushDecoder::push);
  }

  private static List<PushedStream> push(JsonParser p) throws IOException {
    JsonTokens.expect(p.currentToken(), JsonToken.START_OBJECT, "body", "a JSON object {\"streams\": [...]}");
    List<PushedStream> streams = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("streams") && t != JsonToken.VALUE_NULL) {
        JsonTokens.expect(t, JsonToken.START_ARRAY, "streams", "an array of streams");
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          streams.add(stream(p, t, "streams[" + streams.size() + "]"));
        }
      } else {
        JsonTokens.skipValue(p);
      }
    }
    return streams;
  }

  private static PushedStream stream(JsonParser p, JsonToken start, String path) throws IOException {
    JsonTokens.expect(start, JsonToken.START_OBJECT, path, "a stream object {\"labels\": \"{...}\", \"entries\": [...]}");
    String labels = "{}";
    List<PushedEntry> entries = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "labels" -> {
          JsonTokens.expect(t, JsonToken.VALUE_STRING, path + ".labels", "the labels as a string such as {app=\\\"api\\\"}");
          labels = p.getText();
        }
        case "entries" -> {
          JsonTokens.expect(t, JsonToken.START_ARRAY, path + ".entries", "an array of {\"ts\": ..., \"line\": ...} entries");
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            entries.add(entry(p, t, path + ".entries[" + entries.size() + "]"));
          }
        }
        default -> JsonTokens.skipValue(p);
      }
    }
    return LabelText.read(labels, entries);
  }

  private static PushedEntry entry(JsonParser p, JsonToken start, String path) throws IOException {
    JsonTokens.expect(start, JsonToken.START_OBJECT, path, "an entry object {\"ts\": \"<RFC 3339>\", \"line\": \"...\"}");
    Long ts = null;
    String line = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "ts" -> {
          JsonTokens.expect(t, JsonToken.VALUE_STRING, path + ".ts", "an RFC 3339 timestamp string");
          ts = rfc3339Nanos(p.getText(), path + ".ts");
        }
        case "line" -> {
          JsonTokens.expect(t, JsonToken.VALUE_STRING, path + ".line", "the log line as a string");
          line = p.getText();
        }
        default -> JsonTokens.skipValue(p);
      }
    }
    if (ts == null) {
      throw PushException.malformed(path + ": missing \"ts\"");
    }
    return new PushedEntry(ts, line == null ? "" : line);
  }

  static long rfc3339Nanos(String text, String path) {
    try {
      Instant t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      String shown = text.length() <= 64 ? text : text.substring(0, 64) + "...";
      throw PushException.malformed(path + ": invalid timestamp \"" + shown
          + "\": expected RFC 3339 such as \"2024-01-02T03:04:05.123456789Z\"");
    }
  }
}
