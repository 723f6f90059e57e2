package io.fjord.distributor.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property tests: the byte-level {@link JsonPushDecoder} decodes every document exactly as the
 * Jackson-based decoder it replaced ({@link JacksonJsonPushDecoder}) — random pushes full of
 * escapes, surrogate pairs, lone surrogates, raw multi-byte UTF-8, unknown fields and whitespace —
 * and, where a random edit breaks a document, rejects it as MALFORMED_BODY whenever Jackson's did.
 */
class JsonPushDecoderEquivalenceTest {
  private static final long MAX = 1 << 20;
  private final JsonPushDecoder decoder = new JsonPushDecoder(MAX);
  private final JacksonJsonPushDecoder reference = new JacksonJsonPushDecoder(MAX);

  /** Pieces of string content as they appear in JSON source, escapes and raw UTF-8 included. */
  private static final String[] PIECES = {
      "a", "Z", "level=info ", "0", " ", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\r", "\\b", "\\f", "\\u00e9",
      "\\u0000", "\\u001f", "\\uD83D\\uDE00", "\\ud800", "\\uDFFF", "\\u4e2D", "é", "😀", "日本", "ÿ", "{", "}", "[", "]",
      ",", ":", "'", "\u007f", "msg=\\\"GET /api\\\""};
  private static final String[] NUMBERS = {"0", "-0", "12", "-3", "1.5", "1.5e10", "-3.25E-2", "2E+3", "0.0001"};
  private static final String[] SPACE = {"", "", "", " ", "\n", "\t", "\r\n  "};

  @Test
  void randomPushesDecodeAsJacksonDecodedThem() {
    Random random = new Random(20261123);
    for (int i = 0; i < 3000; i++) {
      String doc = push(random);
      byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
      List<PushedStream> expected = reference.decode(new ByteArrayInputStream(bytes));
      assertThat(decoder.decode(bytes)).as(doc).isEqualTo(expected);
    }
  }

  @Test
  void brokenPushesAreRejectedWhereJacksonRejectedThem() {
    Random random = new Random(7);
    String edits = "{}[],:\"\\ 0-.eE1tfnx\u00e9";
    int rejected = 0;
    for (int i = 0; i < 4000; i++) {
      StringBuilder doc = new StringBuilder(push(random));
      for (int k = 1 + random.nextInt(2); k > 0; k--) {
        int at = random.nextInt(doc.length());
        switch (random.nextInt(3)) {
          case 0 -> doc.deleteCharAt(at);
          case 1 -> doc.insert(at, edits.charAt(random.nextInt(edits.length())));
          default -> doc.setCharAt(at, edits.charAt(random.nextInt(edits.length())));
        }
      }
      byte[] bytes = doc.toString().getBytes(StandardCharsets.UTF_8);
      Object expected = outcome(() -> reference.decode(new ByteArrayInputStream(bytes)));
      Object actual = outcome(() -> decoder.decode(bytes));
      assertThat(actual).as(doc.toString()).isEqualTo(expected);
      if (expected instanceof PushException.Kind) {
        rejected++;
      }
    }
    assertThat(rejected).as("edits that broke the document").isGreaterThan(2000);
  }

  /** The decoded streams, or the kind of the PushException (any other exception fails the test). */
  private static Object outcome(java.util.function.Supplier<List<PushedStream>> decode) {
    try {
      return decode.get();
    } catch (PushException e) {
      return e.kind();
    }
  }

  /**
   * Invalid UTF-8 in a line is stored with U+FFFD in place of each malformed sequence, as the
   * protobuf path (Java's decoder) stores it, and as Loki keeps such lines instead of refusing the
   * push. Counts worked out by hand: a cut-off sequence is one (e282, f09f98); an overlong lead
   * (c0), a code point above U+10FFFF (f4 90) or an overlong E0 80 make every byte its own; Java
   * replaces an encoded surrogate (eda080) whole; c3 before a valid é is one, as is e2 before a
   * valid 4-byte 😀.
   */
  @ParameterizedTest
  @CsvSource({"c3, 1", "e282, 1", "f09f98, 1", "ff, 1", "80, 1", "c0af, 2", "eda080, 1", "f4908080, 4", "e0808f, 3",
      "c3c3a9, 1", "e2f09f9880, 1"})
  void invalidUtf8InALineBecomesReplacementCharacters(String hex, int replacements) {
    byte[] body = withLineBytes(hex);
    PushedEntry e = decoder.decode(body).get(0).entries().get(0);
    String bad = new String(java.util.HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    assertThat(e.line()).isEqualTo("x" + bad + "y");
    assertThat(e.line().chars().filter(c -> c == 0xFFFD).count()).isEqualTo(replacements);
    assertThat(e.lineBytes()).isEqualTo(e.line().getBytes(StandardCharsets.UTF_8).length);
  }

  /** Random bytes in a line (no quote, backslash or control character) decode as Java's UTF-8 decoder decodes them. */
  @Test
  void randomBytesInALineDecodeAsJavasUtf8Decoder() {
    Random random = new Random(11);
    for (int i = 0; i < 5000; i++) {
      byte[] raw = new byte[random.nextInt(40)];
      for (int k = 0; k < raw.length; k++) {
        int b = random.nextInt(3) == 0 ? 'a' + random.nextInt(26) : 0x80 + random.nextInt(128);
        raw[k] = (byte) b;
      }
      if (random.nextBoolean() && raw.length > 3) { // a valid 4-byte sequence somewhere
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(emoji, 0, raw, random.nextInt(raw.length - 3), 4);
      }
      byte[] body = withLineBytes(java.util.HexFormat.of().formatHex(raw));
      PushedEntry e = decoder.decode(body).get(0).entries().get(0);
      assertThat(e.line()).as(java.util.HexFormat.of().formatHex(raw))
          .isEqualTo("x" + new String(raw, StandardCharsets.UTF_8) + "y");
      assertThat(e.lineBytes()).isEqualTo(e.line().getBytes(StandardCharsets.UTF_8).length);
    }
  }

  /** Long runs of multi-byte characters or escapes with nothing plain between them (the scratch buffer grows). */
  @ParameterizedTest
  @ValueSource(strings = {"é", "日", "😀", "\\u00e9", "\\uD83D\\uDE00", "\\n", "\\ud800"})
  void longRunsOfNonAsciiCharactersOrEscapesDecode(String source) {
    String decoded = switch (source) {
      case "\\u00e9" -> "é";
      case "\\uD83D\\uDE00" -> "😀";
      case "\\n" -> "\n";
      case "\\ud800" -> "\ud800";
      default -> source;
    };
    for (int n : new int[] {1, 85, 86, 128, 129, 300, 5000}) {
      String doc = "{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":[[\"1\",\"" + source.repeat(n) + "\"]]}]}";
      PushedEntry e = decoder.decode(doc.getBytes(StandardCharsets.UTF_8)).get(0).entries().get(0);
      assertThat(e.line()).as("%s x %d", source, n).isEqualTo(decoded.repeat(n));
    }
  }

  /** A push of one line "x" + the bytes + "y". */
  private static byte[] withLineBytes(String hex) {
    byte[] bad = java.util.HexFormat.of().parseHex(hex);
    byte[] head = "{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":[[\"1\",\"x".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "y\"]]}]}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + bad.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(bad, 0, body, head.length, bad.length);
    System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);
    return body;
  }

  /** The 8-bytes-at-a-time scan for the end of plain content must stop at every such byte wherever it sits. */
  @Test
  void everySpecialByteIsFoundAtEveryOffset() {
    String[] specials = {"\\\"", "\\\\", "\\n", "é", "😀", "\u007f", "~"};
    String[] decoded = {"\"", "\\", "\n", "é", "😀", "\u007f", "~"};
    for (int len = 0; len < 40; len++) {
      for (int at = 0; at <= len; at++) {
        for (int k = 0; k < specials.length; k++) {
          String raw = "a".repeat(at) + specials[k] + "b".repeat(len - at);
          String doc = "{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":[[\"1\",\"" + raw + "\"]]}]}";
          assertThat(decoder.decode(doc.getBytes(StandardCharsets.UTF_8)).get(0).entries().get(0).line())
              .isEqualTo("a".repeat(at) + decoded[k] + "b".repeat(len - at));
        }
        String control = "{\"x\":\"" + "a".repeat(at) + "\u0001" + "b".repeat(len - at) + "\"}";
        assertThatThrownBy(() -> decoder.decode(control.getBytes(StandardCharsets.UTF_8)))
            .hasMessageContaining("column " + (7 + at) + ": unescaped control character (code 1)");
      }
    }
  }

  @Test
  void nestingIsBoundedButDeepUnknownFieldsAreSkipped() {
    String deep = "[".repeat(900) + "]".repeat(900);
    assertThat(decoder.decode(("{\"x\":" + deep + ",\"streams\":[]}").getBytes(StandardCharsets.UTF_8))).isEmpty();
    String tooDeep = "[".repeat(5000) + "]".repeat(5000);
    assertThatThrownBy(() -> decoder.decode(("{\"x\":" + tooDeep + "}").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.kind()).isEqualTo(PushException.Kind.MALFORMED_BODY))
        .hasMessageContaining("nesting deeper than 1000");
  }

  @Test
  void syntaxErrorsNameTheirLineAndColumn() {
    assertThatThrownBy(() -> decoder.decode("{\"streams\":[\n  {\"stream\": {\"a\" \"b\"}}]}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("invalid JSON at line 2, column 19: unexpected character '\"': expected ':'");
    assertThatThrownBy(() -> decoder.decode("{\"streams\":[],}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("invalid JSON at line 1, column 15: unexpected character '}': expected a field name");
  }

  @Test
  void aByteOrderMarkIsSkipped() {
    byte[] body = "\uFEFF{\"streams\":[{\"stream\":{\"a\":\"b\"},\"values\":[[\"1\",\"l\"]]}]}".getBytes(StandardCharsets.UTF_8);
    assertThat(decoder.decode(body)).singleElement()
        .satisfies(s -> assertThat(s.entries()).containsExactly(new PushedEntry(1, "l")));
  }

  private static String push(Random r) {
    StringBuilder b = new StringBuilder();
    b.append(sp(r)).append('{');
    List<String> fields = new ArrayList<>();
    if (r.nextInt(10) > 0) {
      StringBuilder streams = new StringBuilder("\"streams\"").append(sp(r)).append(':').append(sp(r));
      if (r.nextInt(20) == 0) {
        streams.append("null");
      } else {
        streams.append('[');
        int n = r.nextInt(4);
        for (int s = 0; s < n; s++) {
          streams.append(s > 0 ? "," : "").append(sp(r)).append(stream(r)).append(sp(r));
        }
        streams.append(']');
      }
      fields.add(streams.toString());
    }
    if (r.nextInt(4) == 0) {
      fields.add(r.nextInt(fields.size() + 1), "\"" + str(r) + "\"" + sp(r) + ":" + sp(r) + any(r, 0));
    }
    b.append(String.join("," + sp(r), fields));
    return b.append(sp(r)).append('}').append(sp(r)).toString();
  }

  private static String stream(Random r) {
    List<String> fields = new ArrayList<>();
    if (r.nextInt(8) > 0) {
      fields.add("\"stream\":" + sp(r) + (r.nextInt(15) == 0 ? "null" : pairs(r)));
    }
    if (r.nextInt(8) > 0) {
      StringBuilder values = new StringBuilder("\"values\":").append(sp(r));
      if (r.nextInt(15) == 0) {
        values.append("null");
      } else {
        values.append('[');
        int n = r.nextInt(6);
        for (int e = 0; e < n; e++) {
          values.append(e > 0 ? "," + sp(r) : "").append(entry(r));
        }
        values.append(']');
      }
      fields.add(values.toString());
    }
    if (r.nextInt(5) == 0) {
      fields.add(r.nextInt(fields.size() + 1), "\"" + str(r) + "\":" + sp(r) + any(r, 0));
    }
    return "{" + sp(r) + String.join("," + sp(r), fields) + sp(r) + "}";
  }

  private static String entry(Random r) {
    long ts = r.nextInt(3) == 0 ? r.nextLong() : 1_700_000_000_000_000_000L + r.nextInt(1_000_000);
    String tsText = Long.toString(ts);
    if (r.nextInt(10) == 0 && ts >= 0) {
      tsText = "\\u003" + tsText.charAt(0) + tsText.substring(1); // its first digit as an escape
    }
    StringBuilder b = new StringBuilder("[").append(sp(r)).append('"').append(tsText).append('"').append(sp(r)).append(',')
        .append(sp(r)).append('"').append(str(r)).append('"');
    switch (r.nextInt(6)) {
      case 0 -> b.append(',').append(sp(r)).append(pairs(r));
      case 1 -> b.append(',').append(sp(r)).append("null");
      default -> { }
    }
    return b.append(sp(r)).append(']').toString();
  }

  private static String pairs(Random r) {
    StringBuilder b = new StringBuilder("{");
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      b.append(i > 0 ? "," : "").append(sp(r)).append('"').append(str(r)).append('"').append(sp(r)).append(':')
          .append(sp(r)).append('"').append(str(r)).append('"');
    }
    return b.append(sp(r)).append('}').toString();
  }

  /** Any JSON value, for unknown fields. */
  private static String any(Random r, int depth) {
    int k = r.nextInt(depth > 3 ? 5 : 7);
    return switch (k) {
      case 0 -> NUMBERS[r.nextInt(NUMBERS.length)];
      case 1 -> r.nextBoolean() ? "true" : "false";
      case 2 -> "null";
      case 3, 4 -> "\"" + str(r) + "\"";
      case 5 -> {
        StringBuilder b = new StringBuilder("[");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          b.append(i > 0 ? "," : "").append(sp(r)).append(any(r, depth + 1));
        }
        yield b.append(']').toString();
      }
      default -> {
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          b.append(i > 0 ? "," : "").append('"').append(str(r)).append("\":").append(sp(r)).append(any(r, depth + 1));
        }
        yield b.append('}').toString();
      }
    };
  }

  /** JSON string content (without its quotes): usually plain ASCII, often with escapes and UTF-8. */
  private static String str(Random r) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(12);
    boolean plain = r.nextInt(3) == 0;
    for (int i = 0; i < n; i++) {
      b.append(plain ? PIECES[r.nextInt(4)] : PIECES[r.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  private static String sp(Random r) {
    return SPACE[r.nextInt(SPACE.length)];
  }
}
