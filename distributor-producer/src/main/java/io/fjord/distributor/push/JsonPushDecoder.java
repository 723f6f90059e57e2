package io.fjord.distributor.push;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Loki's v1 JSON push by reading its UTF-8 bytes in place ({@link JsonCursor}: no token
 * objects, no tree; a line without escapes or non-ASCII bytes becomes its String in one copy):
 *
 * <pre>
 * {"streams": [{"stream": {"app": "api"},
 *               "values": [["1700000000000000000", "a line"],
 *                          ["1700000000000000001", "another", {"trace_id": "abc"}]]}]}
 * </pre>
 *
 * Timestamps are strings of Unix nanoseconds; the optional third element of a value is the
 * entry's structured metadata (string values only). Unknown fields are skipped (and checked to be
 * JSON). Any other shape is a {@link PushException} of kind MALFORMED_BODY naming the JSON path,
 * e.g. {@code streams[0].values[3][0]}; a body that is not JSON names the line and column. It
 * decodes every document as Jackson's streaming parser did before (a property test compares the
 * two; only UTF-8 that RFC 3629 forbids and Jackson decoded anyway is now rejected) with about a
 * quarter less CPU (bench/RESULTS.md). Stateless and thread-safe.
 */
final class JsonPushDecoder {
  private final long maxStringLength;

  /** @param maxStringLength the longest string accepted, in UTF-8 bytes once unescaped (the body cap bounds it anyway) */
  JsonPushDecoder(long maxStringLength) {
    this.maxStringLength = Math.max(maxStringLength, 1);
  }

  /** Reads the (decompressed, capped) body to its end and decodes it. */
  List<PushedStream> decode(InputStream in) {
    byte[] body;
    try (in) {
      body = in.readAllBytes();
    } catch (IOException e) {
      // a ByteArrayInputStream cannot fail, so the decompressor below failed
      throw PushException.malformed("cannot decompress body: " + ContentDecoding.describe(e));
    }
    return decode(body);
  }

  List<PushedStream> decode(byte[] body) {
    JsonCursor c = new JsonCursor(body, 0, body.length, maxStringLength);
    JsonCursor.Kind first = c.kind();
    if (first == JsonCursor.Kind.END) {
      throw PushException.malformed("empty body: expected a JSON object {\"streams\": [...]}");
    }
    expect(first, JsonCursor.Kind.OBJECT, "body", "a JSON object {\"streams\": [...]}");
    List<PushedStream> streams = push(c);
    JsonCursor.Kind trailing = c.kind();
    if (trailing != JsonCursor.Kind.END) {
      throw PushException.malformed("unexpected content after the JSON object: " + trailing.description);
    }
    return streams;
  }

  private static List<PushedStream> push(JsonCursor c) {
    List<PushedStream> streams = new ArrayList<>();
    c.open();
    for (String field = c.firstField(); field != null; field = c.nextField()) {
      JsonCursor.Kind t = c.kind();
      if (field.equals("streams") && t != JsonCursor.Kind.NULL) {
        expect(t, JsonCursor.Kind.ARRAY, "streams", "an array of streams");
        c.open();
        for (t = c.firstElement(); t != JsonCursor.Kind.END_ARRAY; t = c.nextElement(true)) {
          streams.add(stream(c, t, streams.size()));
        }
      } else {
        c.skipValue();
      }
    }
    return streams;
  }

  private static PushedStream stream(JsonCursor c, JsonCursor.Kind start, int s) {
    if (start != JsonCursor.Kind.OBJECT) {
      throw wrongType(path(s), "a stream object {\"stream\": {...}, \"values\": [...]}", start);
    }
    List<LabelPair> labels = List.of();
    List<PushedEntry> entries = new ArrayList<>();
    c.open();
    for (String field = c.firstField(); field != null; field = c.nextField()) {
      JsonCursor.Kind t = c.kind();
      if (t == JsonCursor.Kind.NULL) {
        c.skipNull();
        continue;
      }
      switch (field) {
        case "stream" -> {
          expect(t, JsonCursor.Kind.OBJECT, path(s) + ".stream", "an object of label names to string values");
          labels = stringPairs(c, path(s) + ".stream");
        }
        case "values" -> {
          expect(t, JsonCursor.Kind.ARRAY, path(s) + ".values", "an array of [\"<unix ns>\", \"<line>\"] values");
          c.open();
          for (t = c.firstElement(); t != JsonCursor.Kind.END_ARRAY; t = c.nextElement(true)) {
            entries.add(entry(c, t, s, entries.size()));
          }
        }
        default -> c.skipValue();
      }
    }
    return PushedStream.of(labels, entries);
  }

  /** One value; on this hot path the JSON path of an error is only built when there is one. */
  private static PushedEntry entry(JsonCursor c, JsonCursor.Kind start, int s, int e) {
    if (start != JsonCursor.Kind.ARRAY) {
      throw wrongType(path(s, e), "an array [\"<unix ns>\", \"<line>\"]", start);
    }
    c.open();
    JsonCursor.Kind t = c.kind();
    if (t != JsonCursor.Kind.STRING) {
      throw wrongType(path(s, e) + "[0]", "the timestamp as a string of Unix nanoseconds", t);
    }
    long ts = c.decimalString();
    if (ts == INVALID) {
      throw PushException.malformed(path(s, e) + "[0]: invalid timestamp \"" + c.invalidText()
          + "\": expected a string of Unix nanoseconds such as \"1700000000000000000\"");
    }
    t = c.nextElement(false);
    if (t != JsonCursor.Kind.STRING) {
      throw wrongType(path(s, e) + "[1]", "the log line as a string", t);
    }
    String line = c.string();
    long lineBytes = c.lastUtf8Length();
    t = c.nextElement(false);
    List<LabelPair> metadata = List.of();
    if (t == JsonCursor.Kind.OBJECT) {
      metadata = stringPairs(c, path(s, e) + "[2]");
      t = c.nextElement(false);
    } else if (t == JsonCursor.Kind.NULL) {
      c.skipNull();
      t = c.nextElement(false);
    } else if (t != JsonCursor.Kind.END_ARRAY) {
      throw wrongType(path(s, e) + "[2]", "an object of structured metadata", t);
    }
    if (t != JsonCursor.Kind.END_ARRAY) {
      throw wrongType(path(s, e), "at most 3 elements [\"<unix ns>\", \"<line>\", {metadata}]", t);
    }
    c.nextElement(true); // the ']'
    return new PushedEntry(ts, line, metadata, lineBytes);
  }

  /** Reads an object of string values (the cursor on its '{') into pairs: a label set or structured metadata. */
  private static List<LabelPair> stringPairs(JsonCursor c, String path) {
    List<LabelPair> pairs = new ArrayList<>();
    c.open();
    for (String name = c.firstField(); name != null; name = c.nextField()) {
      JsonCursor.Kind v = c.kind();
      if (v != JsonCursor.Kind.STRING) {
        throw wrongType(path + "." + name, "a string value", v);
      }
      pairs.add(new LabelPair(name, c.string()));
    }
    return pairs;
  }

  private static void expect(JsonCursor.Kind actual, JsonCursor.Kind expected, String path, String what) {
    if (actual != expected) {
      throw wrongType(path, what, actual);
    }
  }

  private static PushException wrongType(String path, String what, JsonCursor.Kind actual) {
    return PushException.malformed(path + ": expected " + what + ", got " + actual.description);
  }

  private static String path(int s) {
    return "streams[" + s + "]";
  }

  private static String path(int s, int e) {
    return "streams[" + s + "].values[" + e + "]";
  }

  /** What {@link #nanos(byte[], int, int)} returns for text that is not a timestamp. */
  static final long INVALID = Long.MIN_VALUE;

  /**
   * Parses a decimal integer from ASCII bytes without allocating; an optional leading '-' is
   * allowed. Returns {@link #INVALID} for anything else, including values beyond a long (and
   * Long.MIN_VALUE itself, which no real timestamp is).
   */
  static long nanos(byte[] buf, int off, int len) {
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
