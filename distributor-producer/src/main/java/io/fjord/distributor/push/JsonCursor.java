package io.fjord.distributor.push;

import io.fjord.schemas.text.Utf8;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A strict JSON (RFC 8259) reader over a UTF-8 byte array, for the push decoder's hot path: it
 * walks the bytes in place and makes a {@code String} only of the strings the caller asks for:
 * straight from the bytes when they hold no escape and no non-ASCII byte, else from one buffer
 * of their unescaped UTF-8.
 * The caller drives it by the shape it expects: {@link #kind()} looks at the next value without
 * consuming it, {@link #firstElement}/{@link #nextElement} and {@link #firstField}/{@link #nextField}
 * step through arrays and objects, {@link #string()} and {@link #skipValue()} consume a value.
 * Anything that is not JSON (a bad escape, an unescaped control character, a missing comma, a
 * leading zero, nesting deeper than {@link #MAX_DEPTH}, ...) is a MALFORMED_BODY
 * {@link PushException} "invalid JSON at line L, column C: reason", as Jackson's parser reported
 * it before. Invalid UTF-8 inside a string is not refused: each malformed sequence becomes U+FFFD,
 * as on the protobuf path and as Loki keeps such lines (a log file in Latin-1 must not stop a
 * shipper). Single-threaded: one cursor per body.
 */
final class JsonCursor {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** The deepest nesting accepted, as Jackson's default read constraint. */
  static final int MAX_DEPTH = 1000;

  /** What the next value is, named as error messages name it. */
  enum Kind {
    OBJECT("an object"), END_OBJECT("the end of an object"), ARRAY("an array"), END_ARRAY("the end of an array"),
    STRING("a string"), NUMBER("a number"), BOOLEAN("a boolean"), NULL("null"), END("the end of the body");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  private final byte[] buf;
  private final int begin;
  private final int end;
  private final long maxStringLength;
  private int pos;
  private char[] chars = new char[64];
  private byte[] bytes = new byte[256];
  /** The code point {@link #codePoint} decoded last. */
  private int lastCodePoint;
  /** The UTF-8 length ({@code Utf8.length}) of the last string {@link #string()} returned. */
  private long lastUtf8Length;
  /** The text of the last string {@link #decimalString()} found not to be a timestamp. */
  private String invalidText;

  JsonCursor(byte[] buf, int off, int len, long maxStringLength) {
    this.buf = buf;
    this.pos = off;
    this.begin = off;
    this.end = off + len;
    this.maxStringLength = maxStringLength;
    if (len >= 3 && (buf[off] & 0xff) == 0xEF && (buf[off + 1] & 0xff) == 0xBB && (buf[off + 2] & 0xff) == 0xBF) {
      pos += 3; // a UTF-8 byte order mark
    }
  }

  /** The kind of the next value (whitespace skipped, nothing consumed); a byte no value starts with is an error. */
  Kind kind() {
    skipWhitespace();
    if (pos >= end) {
      return Kind.END;
    }
    return switch (buf[pos]) {
      case '{' -> Kind.OBJECT;
      case '}' -> Kind.END_OBJECT;
      case '[' -> Kind.ARRAY;
      case ']' -> Kind.END_ARRAY;
      case '"' -> Kind.STRING;
      case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> Kind.NUMBER;
      case 't', 'f' -> Kind.BOOLEAN;
      case 'n' -> Kind.NULL;
      default -> throw syntax("unexpected character " + describeByte(buf[pos]) + ": expected a JSON value");
    };
  }

  /** Consumes the '{' or '[' the cursor is on (after {@link #kind()} said so). */
  void open() {
    pos++;
  }

  /**
   * After {@link #open()} of an array: the kind of its first element, or END_ARRAY (consumed) when
   * it is empty.
   */
  Kind firstElement() {
    Kind k = kind();
    if (k == Kind.END_ARRAY) {
      pos++;
    }
    return k;
  }

  /**
   * After an element: the kind of the next one past the comma, or END_ARRAY when the array ends
   * here; the ']' is consumed only if {@code consumeEnd}.
   */
  Kind nextElement(boolean consumeEnd) {
    skipWhitespace();
    if (pos < end && buf[pos] == ',') {
      pos++;
      return value();
    }
    if (pos < end && buf[pos] == ']') {
      if (consumeEnd) {
        pos++;
      }
      return Kind.END_ARRAY;
    }
    throw syntax(pos >= end ? "unexpected end of the body in an array" : "unexpected character "
        + describeByte(buf[pos]) + ": expected ',' or ']'");
  }

  /** After {@link #open()} of an object: its first field name (the ':' consumed), or null (the '}' consumed). */
  String firstField() {
    skipWhitespace();
    if (pos < end && buf[pos] == '}') {
      pos++;
      return null;
    }
    return fieldName();
  }

  /** After a field's value: the next field name (the ':' consumed), or null at the end of the object ('}' consumed). */
  String nextField() {
    skipWhitespace();
    if (pos < end && buf[pos] == ',') {
      pos++;
      skipWhitespace();
      return fieldName();
    }
    if (pos < end && buf[pos] == '}') {
      pos++;
      return null;
    }
    throw syntax(pos >= end ? "unexpected end of the body in an object" : "unexpected character "
        + describeByte(buf[pos]) + ": expected ',' or '}'");
  }

  /** The kind of a value that must follow (after a ',' or ':'): a closing bracket or the end is an error. */
  private Kind value() {
    Kind k = kind();
    if (k == Kind.END_ARRAY || k == Kind.END_OBJECT || k == Kind.END) {
      throw syntax(k == Kind.END ? "unexpected end of the body: expected a value"
          : "unexpected character " + describeByte(buf[pos]) + ": expected a value");
    }
    return k;
  }

  private String fieldName() {
    if (pos >= end || buf[pos] != '"') {
      throw syntax(pos >= end ? "unexpected end of the body in an object" : "unexpected character "
          + describeByte(buf[pos]) + ": expected a field name in double quotes");
    }
    String name = string();
    skipWhitespace();
    if (pos >= end || buf[pos] != ':') {
      throw syntax(pos >= end ? "unexpected end of the body in an object" : "unexpected character "
          + describeByte(buf[pos]) + ": expected ':' after the field name");
    }
    pos++;
    value();
    return name;
  }

  /** Consumes the string the cursor is on and returns its text. */
  String string() {
    int start = pos + 1;
    int i = special(start);
    if (i < end && buf[i] == '"') {
      checkLength(i - start);
      pos = i + 1;
      lastUtf8Length = i - start;
      return new String(buf, start, i - start, StandardCharsets.ISO_8859_1); // ASCII only: one copy
    }
    if (i >= end) {
      pos = i;
      throw syntax("unexpected end of the body in a string");
    }
    return slowString(start, i);
  }

  /**
   * The index of the first byte from {@code i} on that ends a run of plain string content: '"',
   * '\\', a control character or any non-ASCII byte; {@code end} if none. Looks at 8 bytes at a
   * time: a byte's high bit in the mask is set when it equals '"' or '\\', is below 0x20 or has
   * its own high bit set; borrows can only mark bytes above the first such byte, so the lowest
   * mark is exact.
   */
  private int special(int i) {
    while (i + 8 <= end) {
      long x = (long) LONGS.get(buf, i);
      long q = x ^ 0x2222222222222222L;
      long s = x ^ 0x5C5C5C5C5C5C5C5CL;
      long m = (((q - ONES) & ~q) | ((s - ONES) & ~s) | (x - 0x2020202020202020L) | x) & HIGHS;
      if (m != 0) {
        return i + (Long.numberOfTrailingZeros(m) >>> 3);
      }
      i += 8;
    }
    while (i < end) {
      byte b = buf[i];
      if (b < 0x20 || b == '"' || b == '\\') {
        return i;
      }
      i++;
    }
    return end;
  }

  /**
   * Consumes a string holding a timestamp and returns its value as {@link JsonPushDecoder#nanos}
   * reads it; {@link JsonPushDecoder#INVALID} for anything that is not a decimal integer. Reads the
   * digits in place unless the string has escapes or non-ASCII bytes.
   */
  long decimalString() {
    int start = pos + 1;
    int i = start;
    while (i < end) {
      byte b = buf[i];
      if (b == '"') {
        pos = i + 1;
        long v = JsonPushDecoder.nanos(buf, start, i - start);
        if (v == JsonPushDecoder.INVALID) {
          invalidText = new String(buf, start, Math.min(i - start, 64), StandardCharsets.ISO_8859_1);
        }
        return v;
      }
      if (b == '\\' || b < 0x20) {
        String s = slowString(start, i);
        // a character beyond Latin-1 becomes '?' and one beyond ASCII a negative byte: neither is a digit
        byte[] latin1 = s.getBytes(StandardCharsets.ISO_8859_1);
        long v = JsonPushDecoder.nanos(latin1, 0, latin1.length);
        if (v == JsonPushDecoder.INVALID) {
          invalidText = s.length() <= 64 ? s : s.substring(0, 64);
        }
        return v;
      }
      i++;
    }
    pos = i;
    throw syntax("unexpected end of the body in a string");
  }

  /** The length in UTF-8 bytes (as {@code Utf8.length} counts it) of the last string {@link #string()} returned. */
  long lastUtf8Length() {
    return lastUtf8Length;
  }

  /** The text (at most 64 chars) of the last string {@link #decimalString()} returned INVALID for. */
  String invalidText() {
    return invalidText;
  }

  /**
   * Decodes a string with escapes or non-ASCII bytes, from {@code start}; {@code i} is the first
   * such byte. Runs of plain bytes are copied whole into a UTF-8 scratch buffer and escapes are
   * appended as their UTF-8 bytes, then one String is made of it (from Latin-1 when it stayed
   * ASCII); a \\u escape of a lone surrogate, which UTF-8 cannot hold, goes to {@link #charString}.
   */
  private String slowString(int start, int i) {
    int n = i - start;
    ensureBytes(n + 16);
    System.arraycopy(buf, start, bytes, 0, n);
    boolean ascii = true;
    boolean malformed = false;
    while (true) {
      int run = special(i);
      byte b = run < end ? buf[run] : 0;
      ensureBytes(n + (run - i) + 16); // room for the run and what the byte at its end adds (at most 4)
      if (run > i) {
        System.arraycopy(buf, i, bytes, n, run - i);
        n += run - i;
        i = run;
      }
      if (i >= end) {
        pos = i;
        throw syntax("unexpected end of the body in a string");
      }
      if (b == '"') {
        checkLength(n);
        pos = i + 1;
        if (malformed) {
          // U+FFFD for each malformed sequence, exactly as the protobuf path's new String(bytes, UTF_8) does
          // (escapes added whole sequences, which never join a malformed one); Loki stores such lines too
          String text = new String(bytes, 0, n, StandardCharsets.UTF_8);
          lastUtf8Length = Utf8.length(text);
          return text;
        }
        lastUtf8Length = n; // valid UTF-8 of no surrogate: exactly what Utf8.length counts
        return new String(bytes, 0, n, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      }
      if (b == '\\') {
        if (i + 1 >= end) {
          pos = i + 1;
          throw syntax("unexpected end of the body in a string");
        }
        int e = buf[i + 1];
        i += 2;
        switch (e) {
          case '"' -> bytes[n++] = '"';
          case '\\' -> bytes[n++] = '\\';
          case '/' -> bytes[n++] = '/';
          case 'b' -> bytes[n++] = '\b';
          case 'f' -> bytes[n++] = '\f';
          case 'n' -> bytes[n++] = '\n';
          case 'r' -> bytes[n++] = '\r';
          case 't' -> bytes[n++] = '\t';
          case 'u' -> {
            int v = hex4(i);
            i += 4;
            if (v >= 0xD800 && v <= 0xDBFF && i + 6 <= end && buf[i] == '\\' && buf[i + 1] == 'u') {
              int low = hex4(i + 2);
              if (low >= 0xDC00 && low <= 0xDFFF) {
                v = Character.toCodePoint((char) v, (char) low);
                i += 6;
              }
            }
            if (v >= 0xD800 && v <= 0xDFFF) {
              return charString(start); // a lone surrogate
            }
            if (v >= 0x80) {
              ascii = false;
            }
            n = appendUtf8(v, n);
          }
          default -> {
            pos = i - 1;
            throw syntax("invalid escape \\" + describeByte((byte) e) + " in a string");
          }
        }
      } else if (b >= 0) {
        pos = i;
        throw syntax("unescaped control character (code " + b + ") in a string: it must be escaped");
      } else {
        int len = codePoint(i);
        if (len < 0) { // invalid UTF-8: kept byte by byte for Java's decoder to replace below
          len = 1;
          malformed = true;
        }
        System.arraycopy(buf, i, bytes, n, len);
        n += len;
        i += len;
        ascii = false;
      }
    }
  }

  /** The value of the 4 hexadecimal digits at {@code i} (of a \\u escape). */
  private int hex4(int i) {
    int v = 0;
    for (int k = i; k < i + 4; k++) {
      int h = k < end && buf[k] >= 0 ? Character.digit(buf[k], 16) : -1;
      if (h < 0) {
        pos = k;
        throw syntax("invalid \\u escape in a string: expected 4 hexadecimal digits");
      }
      v = (v << 4) | h;
    }
    return v;
  }

  private int appendUtf8(int cp, int n) {
    if (cp < 0x80) {
      bytes[n++] = (byte) cp;
    } else if (cp < 0x800) {
      bytes[n++] = (byte) (0xC0 | (cp >> 6));
      bytes[n++] = (byte) (0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      bytes[n++] = (byte) (0xE0 | (cp >> 12));
      bytes[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      bytes[n++] = (byte) (0x80 | (cp & 0x3F));
    } else {
      bytes[n++] = (byte) (0xF0 | (cp >> 18));
      bytes[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
      bytes[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      bytes[n++] = (byte) (0x80 | (cp & 0x3F));
    }
    return n;
  }

  private void ensureBytes(int n) {
    if (n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(n, bytes.length * 2));
    }
  }

  /**
   * Decodes a string char by char from {@code start}, for the rare string that UTF-8 cannot hold:
   * one with a \\u escape of a lone surrogate.
   */
  private String charString(int start) {
    int i = start;
    int n = 0;
    while (true) {
      if (i >= end) {
        pos = i;
        throw syntax("unexpected end of the body in a string");
      }
      int b = buf[i];
      if (b == '"') {
        checkLength(n);
        pos = i + 1;
        String text = new String(chars, 0, n);
        lastUtf8Length = Utf8.length(text); // a lone surrogate counts as the one byte '?' it becomes
        return text;
      }
      ensureChars(n + 2);
      if (b == '\\') {
        if (i + 1 >= end) {
          pos = i + 1;
          throw syntax("unexpected end of the body in a string");
        }
        int e = buf[i + 1];
        i += 2;
        char c;
        switch (e) {
          case '"' -> c = '"';
          case '\\' -> c = '\\';
          case '/' -> c = '/';
          case 'b' -> c = '\b';
          case 'f' -> c = '\f';
          case 'n' -> c = '\n';
          case 'r' -> c = '\r';
          case 't' -> c = '\t';
          case 'u' -> {
            c = (char) hex4(i); // a lone surrogate stays one, as Jackson kept it
            i += 4;
          }
          default -> {
            pos = i - 1;
            throw syntax("invalid escape \\" + describeByte((byte) e) + " in a string");
          }
        }
        chars[n++] = c;
      } else if (b >= 0x20) {
        chars[n++] = (char) b;
        i++;
      } else if (b >= 0) {
        pos = i;
        throw syntax("unescaped control character (code " + b + ") in a string: it must be escaped");
      } else {
        int len = codePoint(i);
        i += Math.abs(len);
        int cp = len > 0 ? lastCodePoint : 0xFFFD; // (a maximal invalid subpart; Java's decoder may differ on this rare path)
        if (cp >= 0x10000) {
          chars[n++] = Character.highSurrogate(cp);
          chars[n++] = Character.lowSurrogate(cp);
        } else {
          chars[n++] = (char) cp;
        }
      }
    }
  }

  /**
   * Reads the UTF-8 sequence at {@code i} (its first byte is non-ASCII): when it is valid (RFC 3629:
   * no overlong form, no surrogate, nothing above U+10FFFF) leaves its code point in
   * {@link #lastCodePoint} and returns its length; otherwise returns minus the length of its maximal
   * invalid subpart (the longest prefix that could begin a valid sequence, at least one byte), the
   * bytes one U+FFFD replaces in Unicode's recommended practice.
   */
  private int codePoint(int i) {
    int b0 = buf[i] & 0xff;
    int len;
    int lo = 0x80; // the second byte's range (Unicode's table of well-formed byte sequences)
    int hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      lo = b0 == 0xE0 ? 0xA0 : 0x80;
      hi = b0 == 0xED ? 0x9F : 0xBF;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      lo = b0 == 0xF0 ? 0x90 : 0x80;
      hi = b0 == 0xF4 ? 0x8F : 0xBF;
    } else {
      return -1;
    }
    int cp = b0 & (0x7F >> len);
    for (int k = 1; k < len; k++) {
      int c = i + k < end ? buf[i + k] & 0xff : -1;
      if (c < lo || c > hi) {
        return -k;
      }
      cp = (cp << 6) | (c & 0x3F);
      lo = 0x80;
      hi = 0xBF;
    }
    lastCodePoint = cp;
    return len;
  }

  /** @param length the string's length in UTF-8 bytes, or in chars on the lone-surrogate path (never more) */
  private void checkLength(int length) {
    if (length > maxStringLength) {
      throw syntax("a string of " + length + " bytes is longer than the limit of " + maxStringLength);
    }
  }

  private void ensureChars(int n) {
    if (n > chars.length) {
      chars = Arrays.copyOf(chars, Math.max(n, chars.length * 2));
    }
  }

  /** Consumes the value the cursor is on, whatever it is, checking that it is JSON. */
  void skipValue() {
    skipValue(0);
  }

  private void skipValue(int depth) {
    switch (kind()) {
      case OBJECT -> {
        checkDepth(depth);
        open();
        for (String f = firstField(); f != null; f = nextField()) {
          skipValue(depth + 1);
        }
      }
      case ARRAY -> {
        checkDepth(depth);
        open();
        for (Kind k = firstElement(); k != Kind.END_ARRAY; k = nextElement(true)) {
          skipValue(depth + 1);
        }
      }
      case STRING -> skipString();
      case NUMBER -> number();
      case BOOLEAN -> literal(buf[pos] == 't' ? "true" : "false");
      case NULL -> literal("null");
      default -> throw syntax("unexpected character " + describeByte(buf[pos]) + ": expected a value");
    }
  }

  private void checkDepth(int depth) {
    if (depth >= MAX_DEPTH) {
      throw syntax("nesting deeper than " + MAX_DEPTH + " levels");
    }
  }

  private void skipString() {
    int i = special(pos + 1);
    if (i < end && buf[i] == '"') {
      pos = i + 1;
      return;
    }
    string(); // validates escapes and UTF-8, or fails at the end of the body
  }

  /** Consumes {@code null} (after {@link #kind()} said NULL). */
  void skipNull() {
    literal("null");
  }

  private void literal(String word) {
    for (int k = 0; k < word.length(); k++) {
      if (pos + k >= end || buf[pos + k] != word.charAt(k)) {
        pos += k;
        throw syntax("unrecognized token: expected '" + word + "'");
      }
    }
    pos += word.length();
    requireDelimiter();
  }

  /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
  private void number() {
    if (buf[pos] == '-') {
      pos++;
    }
    if (pos < end && buf[pos] == '0') {
      pos++;
      if (pos < end && isDigit(buf[pos])) {
        throw syntax("invalid number: leading zeroes are not allowed");
      }
    } else {
      digits();
    }
    if (pos < end && buf[pos] == '.') {
      pos++;
      digits();
    }
    if (pos < end && (buf[pos] == 'e' || buf[pos] == 'E')) {
      pos++;
      if (pos < end && (buf[pos] == '+' || buf[pos] == '-')) {
        pos++;
      }
      digits();
    }
    requireDelimiter();
  }

  private void digits() {
    if (pos >= end || !isDigit(buf[pos])) {
      throw syntax("invalid number: expected a digit");
    }
    while (pos < end && isDigit(buf[pos])) {
      pos++;
    }
  }

  /** After a number or literal: the next byte must end it (JSON has no `truex` or `12ab`). */
  private void requireDelimiter() {
    if (pos < end) {
      byte b = buf[pos];
      if (!(b == ',' || b == ']' || b == '}' || b == ' ' || b == '\t' || b == '\n' || b == '\r')) {
        throw syntax("unexpected character " + describeByte(b) + " after a value");
      }
    }
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte b = buf[pos];
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        pos++;
      } else {
        return;
      }
    }
  }

  /** A syntax error at the cursor: "invalid JSON at line L, column C: reason" (both counted from 1). */
  PushException syntax(String reason) {
    int line = 1;
    int lineStart = begin;
    int at = Math.min(pos, end);
    for (int k = begin; k < at; k++) {
      if (buf[k] == '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    return PushException.malformed("invalid JSON at line " + line + ", column " + (at - lineStart + 1) + ": " + reason);
  }

  private static String describeByte(byte b) {
    int c = b & 0xff;
    return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : "(byte 0x" + Integer.toHexString(c) + ")";
  }
}
