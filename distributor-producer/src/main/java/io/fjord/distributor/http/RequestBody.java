package io.fjord.distributor.http;

import io.fjord.common.config.ByteSize;
import io.fjord.distributor.push.PushException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body as sent, refusing it with BODY_TOO_LARGE (413) as soon as it is known to
 * exceed {@code max_request_body_size}: from the Content-Length before keeping anything, or while
 * reading a chunked body. The buffer grows with what actually arrives, not with what is announced.
 * A refused body of at most {@link #DRAIN_LIMIT} bytes (announced, or chunked) is read on and
 * dropped, up to that limit, before the refusal is answered: a server that closes a connection with unread bytes makes the kernel reset it, and the
 * client, still sending, loses the 413 that says why (a flake of the 10 MB-line test showed it).
 * Stateless.
 */
final class RequestBody {
  /** How much of a refused body is read and dropped so that its sender sees the 413. */
  static final long DRAIN_LIMIT = 64L << 20;

  private RequestBody() {}

  static byte[] read(InputStream in, long contentLength, long maxBytes) {
    if (contentLength > maxBytes) {
      // a body announced beyond the drain limit is not worth reading: refuse it at once
      throw contentLength <= DRAIN_LIMIT ? drainedTooLarge(in, maxBytes) : tooLarge(maxBytes);
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
            throw drainedTooLarge(in, maxBytes);
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

  /** Drops up to {@link #DRAIN_LIMIT} more bytes of {@code in}, then returns the 413 for it. */
  private static PushException drainedTooLarge(InputStream in, long maxBytes) {
    try {
      byte[] scratch = new byte[64 * 1024];
      long left = DRAIN_LIMIT;
      int n;
      while (left > 0 && (n = in.read(scratch, 0, (int) Math.min(scratch.length, left))) >= 0) {
        left -= n;
      }
    } catch (IOException e) {
      // the sender went away: nobody is left to read the refusal
    }
    return tooLarge(maxBytes);
  }

  private static PushException tooLarge(long maxBytes) {
    return new PushException(PushException.Kind.BODY_TOO_LARGE,
        "request body too large: more than " + ByteSize.ofBytes(maxBytes) + " (distributor.max_request_body_size)");
  }
}
