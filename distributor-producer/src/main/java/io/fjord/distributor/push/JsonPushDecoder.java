package io.fjord.distributor.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Loki's v1 JSON push with Jackson's streaming parser (no tree model, no regex):
 *
 * <pre>
 * {"streams": [{"stream": {"app": "api"},
 *               "values": [["1700000000000000000", "a line"],
 *                          ["1700000000000000001", "another", {"trace_id": "abc"}]]}]}
 * </pre>
 *
 * Timestamps are strings of Unix nanoseconds; the optional third element of a value is the
 * entry's structured metadata (string values only). Unknown fields are skipped. Any other shape is
 * a {@link PushException} of kind MALFORMED_BODY naming the JSON path, e.g.
 * {@code streams[0].values[3][0]}. Stateless and thread-safe.
 */
final class JsonPushDecoder {
  private final JsonFactory factory;

  JsonPushDecoder(long maxStringLength) {
    this.factory = JsonTokens.factory(maxStringLength);
  }

  List<PushedStream> decode(InputStream in) {
    return JsonTokens.parse(factory, in, JsonPushDecoder::push);
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
    JsonTokens.expect(start, JsonToken.START_OBJECT, path, "a stream object {\"stream\": {...}, \"values\": [...]}");
    List<LabelPair> labels = List.of();
    List<PushedEntry> entries = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "stream" -> {
          JsonTokens.expect(t, JsonToken.START_OBJECT, path + ".stream", "an object of label names to string values");
          labels = JsonTokens.stringPairs(p, path + ".stream");
        }
        case "values" -> {
          JsonTokens.expect(t, JsonToken.START_ARRAY, path + ".values", "an array of [\"<unix ns>\", \"<line>\"] values");
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            entries.add(entry(p, t, path + ".values[" + entries.size() + "]"));
          }
        }
        default -> JsonTokens.skipValue(p);
      }
    }
    return PushedStream.of(labels, entries);
  }

  private static PushedEntry entry(JsonParser p, JsonToken start, String path) throws IOException {
    JsonTokens.expect(start, JsonToken.START_ARRAY, path, "an array [\"<unix ns>\", \"<line>\"]");
    JsonTokens.expect(p.nextToken(), JsonToken.VALUE_STRING, path + "[0]", "the timestamp as a string of Unix nanoseconds");
    long ts = nanos(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), path + "[0]");
    JsonTokens.expect(p.nextToken(), JsonToken.VALUE_STRING, path + "[1]", "the log line as a string");
    String line = p.getText();
    JsonToken t = p.nextToken();
    List<LabelPair> metadata = List.of();
    if (t == JsonToken.START_OBJECT) {
      metadata = JsonTokens.stringPairs(p, path + "[2]");
      t = p.nextToken();
    } else if (t == JsonToken.VALUE_NULL) {
      t = p.nextToken();
    } else if (t != JsonToken.END_ARRAY) {
      throw JsonTokens.wrongType(path + "[2]", "an object of structured metadata", t);
    }
    JsonTokens.expect(t, JsonToken.END_ARRAY, path, "at most 3 elements [\"<unix ns>\", \"<line>\", {metadata}]");
    return new PushedEntry(ts, line, metadata);
  }

  /** Parses a decimal integer without allocating; an optional leading '-' is allowed. */
  static long nanos(char[] buf, int off, int len, String path) {
    int i = off;
    int end = off + len;
    boolean negative = len > 0 && buf[i] == '-';
    if (negative) {
      i++;
    }
    if (i == end || end - i > 19) {
      throw badTimestamp(buf, off, len, path);
    }
    long v = 0;
    for (; i < end; i++) {
      int d = buf[i] - '0';
      if (d < 0 || d > 9) {
        throw badTimestamp(buf, off, len, path);
      }
      v = v * 10 + d;
      if (v < 0) { // 19 digits above Long.MAX_VALUE
        throw badTimestamp(buf, off, len, path);
      }
    }
    return negative ? -v : v;
  }

  private static PushException badTimestamp(char[] buf, int off, int len, String path) {
    String text = new String(buf, off, Math.min(len, 64));
    return PushException.malformed(path + ": invalid timestamp \"" + text
        + "\": expected a string of Unix nanoseconds such as \"1700000000000000000\"");
  }
}
