package io.fjord.distributor.http;

import io.fjord.common.config.ByteSize;
import io.fjord.distributor.push.PushException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body as sent, refusing it with BODY_TOO_LARGE (413) as soon as it is known to
 * exceed {@code max_request_body_size}: from the Content-Length before reading anything, or while
 * reading a chunked body. The buffer grows with what actually arrives, not with what is announced.
 * Stateless.
 */
final class RequestBody {
  private RequestBody() {}

  static byte[] read(InputStream in, long contentLength, long maxBytes) {
    if (contentLength > maxBytes) {
      throw tooLarge(maxBytes);
    }
    byte[] buf = new byte[(int) Math.min(maxBytes, contentLength >= 0 ? contentLength : 8192)];
    int len = 0;
    try {
      while (true) {
        if (len == buf.length) {
          int next = in.read(); // full: is there more?
          if (next < 0) {
            break;
          }
          if (len >= maxBytes) {
            throw tooLarge(maxBytes);
          }
          buf = Arrays.copyOf(buf, (int) Math.min(maxBytes, Math.max(16L, 2L * buf.length)));
          buf[len++] = (byte) next;
          continue;
        }
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          break;
        }
        len += n;
      }
    } catch (IOException e) {
      throw new PushException(PushException.Kind.MALFORMED_BODY, "cannot read request body: " + e.getMessage(), e);
    }
    return len == buf.length ? buf : Arrays.copyOf(buf, len);
  }

  private static PushException tooLarge(long maxBytes) {
    return new PushException(PushException.Kind.BODY_TOO_LARGE,
        "request body too large: more than " + ByteSize.ofBytes(maxBytes) + " (distributor.max_request_body_size)");
  }
}
