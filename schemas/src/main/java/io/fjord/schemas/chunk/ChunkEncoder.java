package io.fjord.schemas.chunk;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes one stream's entries, in timestamp order, as a chunk in format version 2
 * ({@link ChunkFormat}; version 1 on request, for comparisons). Entries are appended one at a time;
 * the body of the current block is cut and compressed once it reaches {@code blockSize}
 * uncompressed bytes (Loki's {@code chunk_block_size}), and {@link #finish()} cuts the last block
 * and writes the footer. A version 2 body is gathered in columns (timestamp deltas, metadata, the
 * lines that hold a line feed, the lines each ended by a line feed) joined when the block is cut. Equal timestamps are allowed and
 * kept in append order. Single-threaded; one chunk per instance.
 */
public final class ChunkEncoder {
  private final String tenant;
  private final Labels labels;
  private final ChunkCodec codec;
  private final int blockSize;
  private final int level;
  private final int version;
  private final ByteWriter out;
  /** v1: the whole body; v2: the body joined from the columns when the block is cut. */
  private final ByteWriter body;
  private final ByteWriter tsColumn;
  private final ByteWriter mdColumn;
  /** v2: (entry index delta, line length) of each line that holds a line feed. */
  private final ByteWriter multiLineColumn;
  private final ByteWriter lineColumn;
  private final List<BlockMeta> blocks = new ArrayList<>();
  private final CRC32C crc = new CRC32C();

  private boolean blockHasMetadata;
  private int multiLineCount;
  private int lastMultiLine;

  // where the open block's buffers ended before the last append, to take it back
  private int markBody;
  private int markTs;
  private int markMultiLine;
  private int markMultiLineCount;
  private int markLastMultiLine;
  private int markMd;
  private int markLine;
  private boolean markHasMetadata;

  private int blockEntries;
  private long blockMinTs;
  private long previousTs;
  private long totalEntries;
  private boolean finished;

  /**
   * @param blockSize cut a block once its uncompressed body reaches this many bytes; at most
   *     {@link ChunkFormat#MAX_BLOCK_RAW_SIZE}
   */
  public ChunkEncoder(String tenant, Labels labels, ChunkCodec codec, int blockSize) {
    this(tenant, labels, codec, blockSize, ChunkCodec.DEFAULT_ZSTD_LEVEL);
  }

  /**
   * @param blockSize cut a block once its uncompressed body reaches this many bytes; at most
   *     {@link ChunkFormat#MAX_BLOCK_RAW_SIZE}
   * @param zstdLevel the zstd compression level, {@link ChunkCodec#MIN_ZSTD_LEVEL}..{@link
   *     ChunkCodec#MAX_ZSTD_LEVEL}; only {@link ChunkCodec#ZSTD} uses it (readers never need it)
   */
  public ChunkEncoder(String tenant, Labels labels, ChunkCodec codec, int blockSize, int zstdLevel) {
    this(tenant, labels, codec, blockSize, zstdLevel, ChunkFormat.VERSION);
  }

  /**
   * As {@link #ChunkEncoder(String, Labels, ChunkCodec, int, int)} in a chosen format version:
   * {@link ChunkFormat#VERSION} (what stores get) or {@link ChunkFormat#VERSION_1} (only to compare
   * the two, in benchmarks and tests).
   */
  public ChunkEncoder(String tenant, Labels labels, ChunkCodec codec, int blockSize, int zstdLevel,
      int formatVersion) {
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.labels = Objects.requireNonNull(labels, "labels");
    this.codec = Objects.requireNonNull(codec, "codec");
    if (tenant.isEmpty()) {
      throw new IllegalArgumentException("a chunk needs a tenant");
    }
    if (blockSize <= 0 || blockSize > ChunkFormat.MAX_BLOCK_RAW_SIZE) {
      throw new IllegalArgumentException("block size must be in 1.." + ChunkFormat.MAX_BLOCK_RAW_SIZE
          + ", got " + blockSize);
    }
    this.blockSize = blockSize;
    this.level = ChunkCodec.checkZstdLevel(zstdLevel);
    if (!ChunkFormat.isKnown(formatVersion)) {
      throw new IllegalArgumentException("unknown chunk format version " + formatVersion);
    }
    this.version = formatVersion;
    int capacity = Math.min(blockSize, 1 << 20) + 1024;
    this.body = new ByteWriter(capacity);
    boolean v2 = formatVersion == ChunkFormat.VERSION;
    this.tsColumn = v2 ? new ByteWriter(1024) : null;
    this.multiLineColumn = v2 ? new ByteWriter(256) : null;
    this.mdColumn = v2 ? new ByteWriter(1024) : null;
    this.lineColumn = v2 ? new ByteWriter(capacity) : null;
    this.out = new ByteWriter(Math.min(blockSize, 1 << 20) / 2 + 1024);
    out.write(ChunkFormat.MAGIC, 0, 4);
    out.u8(formatVersion);
    out.u8(codec.id());
  }

  /** Encodes a whole chunk from entries sorted by timestamp (at least one). */
  public static byte[] encode(String tenant, Labels labels, Iterable<LogEntry> entries, ChunkCodec codec,
      int blockSize) {
    return encode(tenant, labels, entries.iterator(), codec, blockSize);
  }

  /** Encodes a whole chunk from entries sorted by timestamp (at least one), zstd at {@code zstdLevel}. */
  public static byte[] encode(String tenant, Labels labels, Iterable<LogEntry> entries, ChunkCodec codec,
      int blockSize, int zstdLevel) {
    return encode(tenant, labels, entries.iterator(), codec, blockSize, zstdLevel);
  }

  /** Encodes a whole chunk from an iterator over entries sorted by timestamp (at least one). */
  public static byte[] encode(String tenant, Labels labels, Iterator<LogEntry> entries, ChunkCodec codec,
      int blockSize) {
    return encode(tenant, labels, entries, codec, blockSize, ChunkCodec.DEFAULT_ZSTD_LEVEL);
  }

  /** Encodes a whole chunk from an iterator over entries sorted by timestamp, zstd at {@code zstdLevel}. */
  public static byte[] encode(String tenant, Labels labels, Iterator<LogEntry> entries, ChunkCodec codec,
      int blockSize, int zstdLevel) {
    ChunkEncoder enc = new ChunkEncoder(tenant, labels, codec, blockSize, zstdLevel);
    while (entries.hasNext()) {
      enc.append(entries.next());
    }
    return enc.finish();
  }

  public ChunkEncoder append(LogEntry e) {
    return append(e.timestampNanos(), e.line(), e.metadata());
  }

  /**
   * Appends an entry.
   *
   * @throws IllegalArgumentException when {@code ts} is older than the previous entry's, or the
   *     entry alone exceeds {@link ChunkFormat#MAX_BLOCK_RAW_SIZE}
   */
  public ChunkEncoder append(long ts, String line, Labels metadata) {
    byte[] utf8 = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return append(ts, utf8, 0, utf8.length, metadata);
  }

  /**
   * Appends an entry whose line is the UTF-8 bytes {@code line[off, off + len)} (copied; the
   * caller vouches for them being UTF-8, as the ingester's memory holds them): the same bytes as
   * {@link #append(long, String, Labels)} of that line, without a string in between.
   */
  public ChunkEncoder append(long ts, byte[] line, int off, int len, Labels metadata) {
    if (finished) {
      throw new IllegalStateException("chunk already finished");
    }
    if (totalEntries > 0 && ts < previousTs) {
      throw new IllegalArgumentException("entries must be appended in timestamp order: " + ts
          + " after " + previousTs);
    }
    if (blockEntries == 0) {
      blockMinTs = ts;
      previousTs = ts;
    }
    int size = version == ChunkFormat.VERSION_1 ? appendV1(ts, line, off, len, metadata)
        : appendV2(ts, line, off, len, metadata);
    if (size > ChunkFormat.MAX_BLOCK_RAW_SIZE) {
      rollBack();
      if (blockEntries == 0) {
        throw new IllegalArgumentException("an entry of more than " + ChunkFormat.MAX_BLOCK_RAW_SIZE
            + " bytes does not fit a block");
      }
      cutBlock();
      return append(ts, line, off, len, metadata);
    }
    blockEntries++;
    totalEntries++;
    previousTs = ts;
    if (size >= blockSize) {
      cutBlock();
    }
    return this;
  }

  /** Appends to the v1 body; returns the body's size. */
  private int appendV1(long ts, byte[] line, int off, int len, Labels metadata) {
    markBody = body.len;
    body.uvarint(ts - previousTs);
    body.uvarint(len);
    body.write(line, off, len);
    body.uvarint(metadata.size());
    for (int i = 0; i < metadata.size(); i++) {
      body.str(metadata.name(i));
      body.str(metadata.value(i));
    }
    return body.len;
  }

  /** Appends to the v2 columns; returns the size the joined body would have. */
  private int appendV2(long ts, byte[] line, int off, int len, Labels metadata) {
    markTs = tsColumn.len;
    markMultiLine = multiLineColumn.len;
    markMultiLineCount = multiLineCount;
    markLastMultiLine = lastMultiLine;
    markMd = mdColumn.len;
    markLine = lineColumn.len;
    markHasMetadata = blockHasMetadata;
    tsColumn.uvarint(ts - previousTs);
    lineColumn.write(line, off, len);
    int lineLength = len;
    lineColumn.u8('\n');
    if (ByteSearch.indexOfLineFeed(line, off, off + len) >= 0) {
      multiLineColumn.uvarint(blockEntries - (multiLineCount == 0 ? 0 : lastMultiLine));
      multiLineColumn.uvarint(lineLength);
      multiLineCount++;
      lastMultiLine = blockEntries;
    }
    mdColumn.uvarint(metadata.size());
    for (int i = 0; i < metadata.size(); i++) {
      mdColumn.str(metadata.name(i));
      mdColumn.str(metadata.value(i));
    }
    blockHasMetadata |= metadata.size() > 0;
    return v2BodySize();
  }

  /** The v2 body's size: the columns, with the metadata column only when some entry has metadata. */
  private int v2BodySize() {
    long md = blockHasMetadata ? mdColumn.len : 0;
    long size = (long) tsColumn.len + ByteWriter.uvarintSize(md) + md + ByteWriter.uvarintSize(multiLineCount)
        + multiLineColumn.len + lineColumn.len;
    return (int) Math.min(size, Integer.MAX_VALUE);
  }

  private void rollBack() {
    if (version == ChunkFormat.VERSION_1) {
      body.len = markBody;
    } else {
      tsColumn.len = markTs;
      multiLineColumn.len = markMultiLine;
      multiLineCount = markMultiLineCount;
      lastMultiLine = markLastMultiLine;
      mdColumn.len = markMd;
      lineColumn.len = markLine;
      blockHasMetadata = markHasMetadata;
    }
  }

  /** Entries appended so far. */
  public long entryCount() {
    return totalEntries;
  }

  /** Bytes written so far: header and cut blocks (the open block's body is not compressed yet). */
  public int encodedSize() {
    return out.len;
  }

  /** Cuts the last block and writes the footer; the encoder cannot be used afterwards. */
  public byte[] finish() {
    if (finished) {
      throw new IllegalStateException("chunk already finished");
    }
    if (totalEntries == 0) {
      throw new IllegalStateException("a chunk needs at least one entry");
    }
    cutBlock();
    finished = true;
    ChunkFooter footer = new ChunkFooter(version, codec, tenant, labels, blocks.get(0).minTs(),
        blocks.get(blocks.size() - 1).maxTs(), totalEntries, blocks);
    int footerStart = out.len;
    footer.encode(out);
    int footerLength = out.len - footerStart;
    crc.reset();
    crc.update(out.buf, footerStart, footerLength);
    out.u32(footerLength);
    out.u32((int) crc.getValue());
    return out.toArray();
  }

  private void cutBlock() {
    if (blockEntries == 0) {
      return;
    }
    if (version == ChunkFormat.VERSION) {
      joinColumns();
    }
    int start = out.len;
    out.u32(blockEntries);
    out.i64(blockMinTs);
    out.i64(previousTs);
    out.u32(body.len);
    out.u32(0); // data length, filled in below
    int dataLength = Compression.compress(codec, level, body.buf, 0, body.len, out);
    ByteWriter.putU32(out.buf, start + 24, dataLength);
    crc.reset();
    crc.update(out.buf, start, out.len - start);
    out.u32((int) crc.getValue());
    blocks.add(new BlockMeta(blocks.size(), start, out.len - start, blockMinTs, previousTs, blockEntries, body.len));
    body.reset();
    blockEntries = 0;
  }

  /** Lays the v2 columns end to end in {@link #body} and empties them. */
  private void joinColumns() {
    body.reset();
    body.write(tsColumn.buf, 0, tsColumn.len);
    if (blockHasMetadata) {
      body.uvarint(mdColumn.len);
      body.write(mdColumn.buf, 0, mdColumn.len);
    } else {
      body.uvarint(0);
    }
    body.uvarint(multiLineCount);
    body.write(multiLineColumn.buf, 0, multiLineColumn.len);
    body.write(lineColumn.buf, 0, lineColumn.len);
    tsColumn.reset();
    multiLineColumn.reset();
    multiLineCount = 0;
    lastMultiLine = 0;
    mdColumn.reset();
    lineColumn.reset();
    blockHasMetadata = false;
  }
}
