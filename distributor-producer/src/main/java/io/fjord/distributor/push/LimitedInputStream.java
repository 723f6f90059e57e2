package io.fjord.distributor.push;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through until more than {@code limit} have been read, then throws a
 * {@link PushException} of kind {@link PushException.Kind#BODY_TOO_LARGE}: put it behind a
 * decompressor so that a compression bomb is stopped after {@code limit} bytes, whatever it claims.
 * Single-threaded, like any stream.
 */
final class LimitedInputStream extends FilterInputStream {
  private final long limit;
  private final String what;
  private long count;

  /** @param what names the limit in the error, e.g. "max_decompressed_body_size of 100MB" */
  LimitedInputStream(InputStream in, long limit, String what) {
    super(in);
    this.limit = limit;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      advance(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      advance(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    advance(skipped);
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void advance(long n) {
    count += n;
    if (count > limit) {
      throw new PushException(PushException.Kind.BODY_TOO_LARGE, "decompressed body exceeds " + what);
    }
  }
}
