package io.fjord.distributor.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Jackson pieces of the legacy JSON decoder (and of the former JSON decoder, kept in the tests as
 * the reference for {@link JsonPushDecoder}): the parser factory with its limits, token
 * expectations that fail with the JSON path of the offending value, and the mapping of Jackson's
 * and the decompressor's exceptions to {@link PushException}s. Stateless and thread-safe.
 */
final class JsonTokens {
  private JsonTokens() {}

  /** A factory whose longest string is {@code maxStringLength} chars (the body cap bounds it anyway). */
  static JsonFactory factory(long maxStringLength) {
    int max = (int) Math.min(Integer.MAX_VALUE, Math.max(maxStringLength, 1));
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(max).build())
        .build();
  }

  /** Parses a whole document with {@code reader}, turning every failure into a MALFORMED_BODY. */
  static <T> T parse(JsonFactory factory, InputStream in, ParserFunction<T> reader) {
    try (JsonParser p = factory.createParser(in)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw PushException.malformed("empty body: expected a JSON object {\"streams\": [...]}");
      }
      T result = reader.read(p);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw PushException.malformed("unexpected content after the JSON object: " + describe(trailing));
      }
      return result;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw PushException.malformed("invalid JSON" + where + ": " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      // not a JSON error, so the decompressor below the parser failed
      throw PushException.malformed("cannot decompress body: " + ContentDecoding.describe(e));
    }
  }

  /** Reads a document from a parser positioned on its first token. */
  @FunctionalInterface
  interface ParserFunction<T> {
    T read(JsonParser p) throws IOException;
  }

  static void expect(JsonToken actual, JsonToken expected, String path, String what) {
    if (actual != expected) {
      throw wrongType(path, what, actual);
    }
  }

  static PushException wrongType(String path, String what, JsonToken actual) {
    return PushException.malformed(path + ": expected " + what + ", got " + describe(actual));
  }

  /** Reads an object of string values into pairs (a label set or structured metadata). */
  static List<LabelPair> stringPairs(JsonParser p, String path) throws IOException {
    List<LabelPair> pairs = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (v != JsonToken.VALUE_STRING) {
        throw wrongType(path + "." + name, "a string value", v);
      }
      pairs.add(new LabelPair(name, p.getText()));
    }
    expect(t, JsonToken.END_OBJECT, path, "the end of the object");
    return pairs;
  }

  /** Skips the value the parser is positioned on (after a field name's nextToken). */
  static void skipValue(JsonParser p) throws IOException {
    p.skipChildren();
  }

  static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the body";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case END_OBJECT -> "the end of an object";
      case START_ARRAY -> "an array";
      case END_ARRAY -> "the end of an array";
      case FIELD_NAME -> "a field name";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl >= 0 ? s.substring(0, nl) : s;
  }
}
