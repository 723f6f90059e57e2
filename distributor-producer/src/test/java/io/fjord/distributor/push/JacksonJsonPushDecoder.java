package io.fjord.distributor.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference for {@link JsonPushDecoder}: the decoder Fjord used before it read the bytes itself,
 * kept to compare the two on random documents. Decodes Loki's v1 JSON push with Jackson's streaming parser:
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
final class JacksonJsonPushDecoder {
  private final JsonFactory factory;

  JacksonJsonPushDecoder(long maxStringLength) {
    this.factory = JsonTokens.factory(maxStringLength);
  }

  List<PushedStream> decode(InputStream in) {
    return JsonTokens.parse(factory, in, JacksonJsonPushDecoder::push);
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
          streams.add(stream(p, t, streams.size()));
        }
      } else {
        JsonTokens.skipValue(p);
      }
    }
    return streams;
  }

  private static PushedStream stream(JsonParser p, JsonToken start, int s) throws IOException {
    if (start != JsonToken.START_OBJECT) {
      throw JsonTokens.wrongType(path(s), "a stream object {\"stream\": {...}, \"values\": [...]}", start);
    }
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
          JsonTokens.expect(t, JsonToken.START_OBJECT, path(s) + ".stream", "an object of label names to string values");
          labels = JsonTokens.stringPairs(p, path(s) + ".stream");
        }
        case "values" -> {
          JsonTokens.expect(t, JsonToken.START_ARRAY, path(s) + ".values", "an array of [\"<unix ns>\", \"<line>\"] values");
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            entries.add(entry(p, t, s, entries.size()));
          }
        }
        default -> JsonTokens.skipValue(p);
      }
    }
    return PushedStream.of(labels, entries);
  }

  /** One value; on this hot path the JSON path of an error is only built when there is one. */
  private static PushedEntry entry(JsonParser p, JsonToken start, int s, int e) throws IOException {
    if (start != JsonToken.START_ARRAY) {
      throw JsonTokens.wrongType(path(s, e), "an array [\"<unix ns>\", \"<line>\"]", start);
    }
    JsonToken t = p.nextToken();
    if (t != JsonToken.VALUE_STRING) {
      throw JsonTokens.wrongType(path(s, e) + "[0]", "the timestamp as a string of Unix nanoseconds", t);
    }
    long ts = nanos(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), s, e);
    t = p.nextToken();
    if (t != JsonToken.VALUE_STRING) {
      throw JsonTokens.wrongType(path(s, e) + "[1]", "the log line as a string", t);
    }
    String line = p.getText();
    t = p.nextToken();
    List<LabelPair> metadata = List.of();
    if (t == JsonToken.START_OBJECT) {
      metadata = JsonTokens.stringPairs(p, path(s, e) + "[2]");
      t = p.nextToken();
    } else if (t == JsonToken.VALUE_NULL) {
      t = p.nextToken();
    } else if (t != JsonToken.END_ARRAY) {
      throw JsonTokens.wrongType(path(s, e) + "[2]", "an object of structured metadata", t);
    }
    if (t != JsonToken.END_ARRAY) {
      throw JsonTokens.wrongType(path(s, e), "at most 3 elements [\"<unix ns>\", \"<line>\", {metadata}]", t);
    }
    return new PushedEntry(ts, line, metadata);
  }

  private static String path(int s) {
    return "streams[" + s + "]";
  }

  private static String path(int s, int e) {
    return "streams[" + s + "].values[" + e + "]";
  }

  private static long nanos(char[] buf, int off, int len, int s, int e) {
    long v = nanos(buf, off, len);
    if (v == INVALID) {
      String text = new String(buf, off, Math.min(len, 64));
      throw PushException.malformed(path(s, e) + "[0]: invalid timestamp \"" + text
          + "\": expected a string of Unix nanoseconds such as \"1700000000000000000\"");
    }
    return v;
  }

  /** What {@link #nanos(char[], int, int)} returns for text that is not a timestamp. */
  static final long INVALID = Long.MIN_VALUE;

  /**
   * Parses a decimal integer without allocating; an optional leading '-' is allowed. Returns
   * {@link #INVALID} for anything else, including values beyond a long (and Long.MIN_VALUE itself,
   * which no real timestamp is).
   */
  static long nanos(char[] buf, int off, int len) {
    int i = off;
    int end = off + len;
    boolean negative = len > 0 && buf[i] == '-';
    if (negative) {
      i++;
    }
    if (i == end || end - i > 19) {
      return INVALID;
    }
    long v = 0;
    for (; i < end; i++) {
      int d = buf[i] - '0';
      if (d < 0 || d > 9) {
        return INVALID;
      }
      v = v * 10 + d;
      if (v < 0) { // 19 digits above Long.MAX_VALUE wrap below zero
        return INVALID;
      }
    }
    return negative ? -v : v;
  }
}
