package io.fjord.schemas.chunk;

import io.fjord.schemas.record.LogEntry;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;

/**
 * Reads a chunk in format version 1 or 2 ({@link ChunkFormat}): the footer first, then one block at a time,
 * only the blocks a scan needs. Two ways in: {@link #of} for a chunk already in memory (also checks
 * the header) and {@link #open} for a chunk read by byte ranges (the tail, then each block: S3
 * ranged GETs). Every error is a {@link ChunkFormatException} naming the object. Not thread-safe
 * (its block decoder keeps per-block state; the buffers are borrowed from a shared pool per block):
 * one reader per scan; the footer it returns is immutable.
 */
public final class ChunkReader {
  /** Bytes read from the end of an object to find the footer in one request in the usual case. */
  public static final int TAIL_READ = 8 * 1024;

  private final String objectName;
  private final ChunkFooter footer;
  private final byte[] whole;
  private final ByteRangeSource source;
  private final BlockDecoder decoder;

  private ChunkReader(String objectName, ChunkFooter footer, byte[] whole, ByteRangeSource source) {
    this.objectName = objectName;
    this.footer = footer;
    this.whole = whole;
    this.source = source;
    this.decoder = new BlockDecoder(objectName, footer.codec(), footer.version());
  }

  /** Opens a whole chunk held in memory; checks header, trailer and footer. */
  public static ChunkReader of(String objectName, byte[] chunk) {
    ByteReader header = new ByteReader(chunk, 0, chunk.length, objectName, "header");
    if (chunk.length < ChunkFormat.HEADER_SIZE + ChunkFormat.TRAILER_SIZE) {
      throw new ChunkFormatException(objectName, "too short to be a chunk (" + chunk.length + " bytes)");
    }
    int version = ChunkFooter.checkMagicVersionCodec(objectName, header, "header");
    ChunkFooter footer = footer(objectName, chunk, 0, chunk.length, chunk.length);
    if (footer.version() != version) {
      throw new ChunkFormatException(objectName, "header version " + version
          + " disagrees with footer version " + footer.version());
    }
    if (footer.codec().id() != (chunk[5] & 0xff)) {
      throw new ChunkFormatException(objectName, "header codec " + (chunk[5] & 0xff)
          + " disagrees with footer codec " + footer.codec().id());
    }
    return new ChunkReader(objectName, footer, chunk, null);
  }

  /**
   * Opens a chunk of {@code objectSize} bytes through byte ranges: reads the last
   * {@link #TAIL_READ} bytes (one more read when the footer is longer), and later one range per
   * block decoded. The header is not read; the footer repeats its magic, version and codec.
   */
  public static ChunkReader open(String objectName, long objectSize, ByteRangeSource source) {
    if (objectSize < ChunkFormat.HEADER_SIZE + ChunkFormat.TRAILER_SIZE) {
      throw new ChunkFormatException(objectName, "too short to be a chunk (" + objectSize + " bytes)");
    }
    int tailLength = (int) Math.min(objectSize, TAIL_READ);
    byte[] tail = checkedRead(objectName, source, objectSize - tailLength, tailLength, "tail");
    int footerLength = footerLength(objectName, tail, tailLength, objectSize);
    int needed = footerLength + ChunkFormat.TRAILER_SIZE;
    if (needed > tailLength) {
      byte[] more = checkedRead(objectName, source, objectSize - needed, needed - tailLength, "footer");
      byte[] joined = new byte[needed];
      System.arraycopy(more, 0, joined, 0, more.length);
      System.arraycopy(tail, 0, joined, more.length, tailLength);
      tail = joined;
    }
    ChunkFooter footer = footer(objectName, tail, tail.length - needed, needed, objectSize);
    return new ChunkReader(objectName, footer, null, source);
  }

  /**
   * Checks the trailer and the footer's CRC, then decodes the footer. The trailer ends at
   * {@code buf[off + len]}, which is byte {@code objectSize} of the object.
   */
  private static ChunkFooter footer(String objectName, byte[] buf, int off, int len, long objectSize) {
    int footerLength = footerLength(objectName, buf, off + len, objectSize);
    if (footerLength + ChunkFormat.TRAILER_SIZE > len) {
      throw new ChunkFormatException(objectName, "footer of " + footerLength + " bytes overruns the bytes read");
    }
    int end = off + len - ChunkFormat.TRAILER_SIZE;
    int start = end - footerLength;
    CRC32C crc = new CRC32C();
    crc.update(buf, start, footerLength);
    if ((int) crc.getValue() != ByteReader.getU32(buf, end + 4)) {
      throw new ChunkFormatException(objectName, "footer checksum mismatch (corrupt, or not a Fjord chunk)");
    }
    long footerOffset = objectSize - ChunkFormat.TRAILER_SIZE - footerLength;
    return ChunkFooter.decode(objectName, buf, start, footerLength, footerOffset);
  }

  /** The footer length the trailer (the 8 bytes before {@code buf[end]}) states, checked against the size. */
  private static int footerLength(String objectName, byte[] buf, int end, long objectSize) {
    int footerLength = ByteReader.getU32(buf, end - ChunkFormat.TRAILER_SIZE);
    long room = objectSize - ChunkFormat.HEADER_SIZE - ChunkFormat.TRAILER_SIZE;
    if (footerLength <= 0 || footerLength > room) {
      throw new ChunkFormatException(objectName, "footer length " + Integer.toUnsignedString(footerLength)
          + " does not fit an object of " + objectSize + " bytes (truncated, or not a Fjord chunk)");
    }
    return footerLength;
  }

  private static byte[] checkedRead(String objectName, ByteRangeSource source, long offset, int length,
      String what) {
    byte[] b = source.read(offset, length);
    if (b == null || b.length != length) {
      throw new ChunkFormatException(objectName, "short read of the " + what + ": asked " + length
          + " bytes at " + offset + ", got " + (b == null ? 0 : b.length));
    }
    return b;
  }

  public String objectName() {
    return objectName;
  }

  public ChunkFooter footer() {
    return footer;
  }

  public List<BlockMeta> blocks() {
    return footer.blocks();
  }

  /** Fetches (when reading by ranges), verifies and decodes block {@code index}: its entries in time order. */
  public List<LogEntry> readBlock(int index) {
    return readBlock(footer.blocks().get(index), Long.MIN_VALUE, Long.MAX_VALUE, LineFilter.ALL, null);
  }

  private List<LogEntry> readBlock(BlockMeta meta, long from, long last, LineFilter filter,
      LineFilter.Skipped skipped) {
    if (whole != null) {
      return decoder.decode(meta, whole, (int) meta.offset(), from, last, filter, skipped);
    }
    byte[] bytes = checkedRead(objectName, source, meta.offset(), meta.length(), "block " + meta.index());
    return decoder.decode(meta, bytes, 0, from, last, filter, skipped);
  }

  /** Every entry in {@code direction}. */
  public Iterator<LogEntry> entries(ScanDirection direction) {
    return new EntryIterator(direction == ScanDirection.BACKWARD, Long.MIN_VALUE, Long.MAX_VALUE, LineFilter.ALL, null);
  }

  /**
   * The entries with {@code from <= ts < through} in {@code direction}, decoding one block at a time
   * and only blocks that overlap the range. Backward order is the exact reverse of forward order.
   */
  public Iterator<LogEntry> entries(ScanDirection direction, long from, long through) {
    return entries(direction, from, through, LineFilter.ALL, null);
  }

  /**
   * As {@link #entries(ScanDirection, long, long)}, passing over the entries whose raw line
   * {@code filter} refuses without building them; they are counted in {@code skipped} (may be null).
   */
  public Iterator<LogEntry> entries(ScanDirection direction, long from, long through, LineFilter filter,
      LineFilter.Skipped skipped) {
    if (through <= from) {
      return Collections.emptyIterator();
    }
    return new EntryIterator(direction == ScanDirection.BACKWARD, from, through - 1, filter, skipped);
  }

  /** Walks the blocks in one direction, decoding each lazily; {@code from <= ts <= last}. Single-threaded. */
  private final class EntryIterator implements Iterator<LogEntry> {
    private final boolean backward;
    private final long from;
    private final long last;
    private final LineFilter filter;
    private final LineFilter.Skipped skipped;
    private int nextBlock;
    private List<LogEntry> current = Collections.emptyList();
    private int pos;
    private LogEntry next;

    EntryIterator(boolean backward, long from, long last, LineFilter filter, LineFilter.Skipped skipped) {
      this.backward = backward;
      this.from = from;
      this.last = last;
      this.filter = filter;
      this.skipped = skipped;
      this.nextBlock = backward ? footer.blocks().size() - 1 : 0;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (pos < current.size()) {
          LogEntry e = current.get(backward ? current.size() - 1 - pos : pos);
          pos++;
          if (e.timestampNanos() >= from && e.timestampNanos() <= last) {
            next = e;
          }
        } else if (!loadNextBlock()) {
          return false;
        }
      }
      return true;
    }

    private boolean loadNextBlock() {
      List<BlockMeta> blocks = footer.blocks();
      while (nextBlock >= 0 && nextBlock < blocks.size()) {
        BlockMeta b = blocks.get(nextBlock);
        nextBlock += backward ? -1 : 1;
        if (backward ? b.maxTs() < from : b.minTs() > last) {
          nextBlock = -1; // blocks are in time order: none further on can overlap
          return false;
        }
        if (b.minTs() <= last && b.maxTs() >= from) {
          current = readBlock(b, from, last, filter, skipped);
          pos = 0;
          return true;
        }
      }
      return false;
    }

    @Override
    public LogEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      LogEntry e = next;
      next = null;
      return e;
    }
  }
}
