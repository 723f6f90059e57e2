package io.fjord.distributor.push;

import io.fjord.common.config.ByteSize;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Undoes the request's Content-Encoding, as Loki accepts it: none, {@code gzip}, {@code deflate}
 * (zlib-wrapped or raw, since Go clients send raw DEFLATE under that name) and {@code snappy},
 * which announces the snappy block of a protobuf push and is passed through for the protobuf
 * decoder. Whatever is decompressed here is capped at {@code maxDecompressedBytes} while it
 * streams. Stateless and thread-safe.
 */
final class ContentDecoding {
  private final long maxDecompressedBytes;
  private final String limitName;

  ContentDecoding(long maxDecompressedBytes) {
    this.maxDecompressedBytes = maxDecompressedBytes;
    this.limitName = "max_decompressed_body_size of " + ByteSize.ofBytes(maxDecompressedBytes);
  }

  long maxDecompressedBytes() {
    return maxDecompressedBytes;
  }

  String limitName() {
    return limitName;
  }

  /** The body as a stream of its decoded bytes; throws MALFORMED_BODY when a gzip header is broken. */
  InputStream open(byte[] body, String contentEncoding) {
    String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    InputStream raw = new ByteArrayInputStream(body);
    switch (encoding) {
      case "", "identity", "snappy" -> {
        return raw;
      }
      case "gzip", "x-gzip" -> {
        try {
          return limited(new GZIPInputStream(raw, 8192));
        } catch (IOException e) {
          throw PushException.malformed("cannot decompress gzip body: " + describe(e));
        }
      }
      case "deflate" -> {
        return limited(new InflaterInputStream(raw, new Inflater(!looksLikeZlib(body)), 8192));
      }
      default -> throw new PushException(PushException.Kind.UNSUPPORTED_ENCODING,
          "Content-Encoding \"" + abbreviate(contentEncoding) + "\" not supported (use gzip, deflate or snappy)");
    }
  }

  /** Reads the whole decoded body (for formats that need it in one piece), within the cap. */
  byte[] readAll(byte[] body, String contentEncoding) {
    if (isPassThrough(contentEncoding)) {
      return body;
    }
    try (InputStream in = open(body, contentEncoding)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw PushException.malformed("cannot decompress " + contentEncoding.trim() + " body: " + describe(e));
    }
  }

  /** Whether the encoding leaves the body as it is (none, identity, or snappy, which the protobuf decoder undoes). */
  static boolean isPassThrough(String contentEncoding) {
    String e = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    return e.isEmpty() || e.equals("identity") || e.equals("snappy");
  }

  private InputStream limited(InputStream in) {
    return new LimitedInputStream(in, maxDecompressedBytes, limitName);
  }

  /** RFC 1950 header: compression method 8, window ≤ 32K, header checksum divisible by 31. */
  private static boolean looksLikeZlib(byte[] body) {
    if (body.length < 2) {
      return false;
    }
    int cmf = body[0] & 0xff;
    int flg = body[1] & 0xff;
    return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
  }

  static String describe(Exception e) {
    Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
