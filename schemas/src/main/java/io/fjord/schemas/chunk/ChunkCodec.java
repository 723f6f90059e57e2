package io.fjord.schemas.chunk;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The compression of a chunk's block bodies. The id is what the chunk header and footer store; the
 * name is what configuration uses (Loki's {@code chunk_encoding} names). Ids are never reused.
 */
public enum ChunkCodec {
  /** Stored as is. */
  NONE(0, "none"),
  /** A gzip member (RFC 1952, deflate at the default level 6). */
  GZIP(1, "gzip"),
  /** Snappy raw block format (no framing). */
  SNAPPY(2, "snappy"),
  /** LZ4 block format (no frame), fast compressor. */
  LZ4(3, "lz4"),
  /** A Zstandard frame, at the encoder's level ({@link #DEFAULT_ZSTD_LEVEL} unless configured). */
  ZSTD(4, "zstd");

  /**
   * The codec new chunks use unless configured otherwise, chosen by benchmark: see
   * bench/RESULTS.md for the figures behind it.
   */
  public static final ChunkCodec DEFAULT = ZSTD;

  /** The lowest zstd level an encoder accepts (zstd's fastest regular level). */
  public static final int MIN_ZSTD_LEVEL = 1;
  /** The highest zstd level an encoder accepts (zstd's ultra maximum). */
  public static final int MAX_ZSTD_LEVEL = 22;
  /**
   * The zstd level new chunks use unless configured otherwise (readers never need the level), chosen
   * by the end-to-end benchmark (bench/RESULTS.md, "The flush's zstd level end to end"): level 6
   * stores 11% less at the flush, but on two cores its flush took 21-26% more server CPU per ingested
   * line and 17-18% of the ingest rate against level 3, and the compactor's recompression brings older
   * chunks to the smaller size anyway.
   */
  public static final int DEFAULT_ZSTD_LEVEL = 3;

  private final int id;
  private final String configName;

  ChunkCodec(int id, String configName) {
    this.id = id;
    this.configName = configName;
  }

  public int id() {
    return id;
  }

  public String configName() {
    return configName;
  }

  /** The codec with this stored id, or null when this reader does not know it. */
  static ChunkCodec ofId(int id) {
    for (ChunkCodec c : values()) {
      if (c.id == id) {
        return c;
      }
    }
    return null;
  }

  /**
   * Returns {@code level} when it is a zstd level an encoder accepts.
   *
   * @throws IllegalArgumentException naming the valid range otherwise
   */
  public static int checkZstdLevel(int level) {
    if (level < MIN_ZSTD_LEVEL || level > MAX_ZSTD_LEVEL) {
      throw new IllegalArgumentException("zstd level must be in " + MIN_ZSTD_LEVEL + ".." + MAX_ZSTD_LEVEL
          + ", got " + level);
    }
    return level;
  }

  /** The codec with this configuration name (case-insensitive); the message lists the valid names. */
  public static ChunkCodec parse(String name) {
    for (ChunkCodec c : values()) {
      if (c.configName.equalsIgnoreCase(name.strip())) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown chunk encoding \"" + name + "\" (valid: "
        + Arrays.stream(values()).map(ChunkCodec::configName).collect(Collectors.joining(", ")) + ")");
  }
}
