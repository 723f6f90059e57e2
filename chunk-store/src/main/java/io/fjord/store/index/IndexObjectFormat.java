package io.fjord.store.index;

import io.fjord.schemas.chunk.ByteReader;
import io.fjord.schemas.chunk.ByteWriter;
import io.fjord.schemas.labels.Labels;
import io.fjord.store.ChunkKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Chunk index object format version 1: the references of one tenant's chunks in one index period,
 * as one immutable object (layout in schemas/FORMATS.md, "Chunk index object v1").
 *
 * <pre>
 * object = magic:"FJIX" | version:u8(=1) | tenant:str
 *          | streamCount:uvarint | stream * streamCount
 *          | chunkCount:uvarint | chunk * chunkCount
 *          | crc32c:u32 over every byte before it
 * stream = fingerprint:u64 | labelCount:uvarint | (name:str value:str) * labelCount
 * chunk  = stream:uvarint (index into the streams) | from:i64 | through:i64 | checksum:u32
 *          | bytes:uvarint | entries:uvarint
 * str    = length:uvarint | UTF-8 bytes
 * </pre>
 *
 * The encoder de-duplicates by chunk key and sorts (streams by fingerprint then labels text, chunks
 * by stream, from, through, checksum), so the same set of references always gives the same bytes.
 * Stateless.
 */
public final class IndexObjectFormat {
  public static final int VERSION = 1;
  static final byte[] MAGIC = {'F', 'J', 'I', 'X'};
  /** The smallest encodings, used to bound counts before anything is allocated. */
  private static final int MIN_STREAM_BYTES = 9;
  private static final int MIN_CHUNK_BYTES = 23;

  private IndexObjectFormat() {}

  /**
   * Encodes {@code refs}, all of {@code tenant}; a chunk listed more than once is written once.
   *
   * @throws IllegalArgumentException when a reference belongs to another tenant
   */
  public static byte[] encode(String tenant, Collection<ChunkRef> refs) {
    Map<ChunkKey, ChunkRef> unique = new LinkedHashMap<>();
    for (ChunkRef r : refs) {
      if (!r.tenant().equals(tenant)) {
        throw new IllegalArgumentException("chunk " + r.key() + " is not of tenant " + tenant);
      }
      unique.putIfAbsent(r.chunk(), r);
    }
    Comparator<Stream> streamOrder = Comparator.comparingLong(Stream::fingerprint)
        .thenComparing(s -> s.labels().toString());
    Map<Stream, Integer> streamIds = new HashMap<>();
    List<Stream> streams = unique.values().stream().map(r -> new Stream(r.fingerprint(), r.labels()))
        .distinct().sorted(streamOrder).toList();
    for (int i = 0; i < streams.size(); i++) {
      streamIds.put(streams.get(i), i);
    }
    List<ChunkRef> chunks = new ArrayList<>(unique.values());
    chunks.sort(Comparator.<ChunkRef>comparingInt(r -> streamIds.get(new Stream(r.fingerprint(), r.labels())))
        .thenComparingLong(ChunkRef::fromNanos).thenComparingLong(ChunkRef::throughNanos)
        .thenComparingInt(r -> r.chunk().checksum()));

    ByteWriter out = new ByteWriter(64 + chunks.size() * 32);
    out.write(MAGIC, 0, MAGIC.length);
    out.write(VERSION);
    out.str(tenant);
    out.uvarint(streams.size());
    for (Stream s : streams) {
      out.i64(s.fingerprint());
      out.uvarint(s.labels().size());
      for (int i = 0; i < s.labels().size(); i++) {
        out.str(s.labels().name(i));
        out.str(s.labels().value(i));
      }
    }
    out.uvarint(chunks.size());
    for (ChunkRef r : chunks) {
      out.uvarint(streamIds.get(new Stream(r.fingerprint(), r.labels())));
      out.i64(r.fromNanos());
      out.i64(r.throughNanos());
      out.u32(r.chunk().checksum());
      out.uvarint(r.bytes());
      out.uvarint(r.entries());
    }
    CRC32C crc = new CRC32C();
    crc.update(out.buffer(), 0, out.size());
    out.u32((int) crc.getValue());
    return out.toArray();
  }

  /**
   * Decodes the object stored under {@code objectName}, which must hold references of
   * {@code tenant}; every reference is rebuilt with its chunk key.
   *
   * @throws IndexFormatException naming the object when it is not a valid version-1 index object of
   *     {@code tenant}
   */
  public static List<ChunkRef> decode(String objectName, String tenant, byte[] bytes) {
    if (bytes.length < MAGIC.length + 1 + 4) {
      throw new IndexFormatException(objectName, "too short (" + bytes.length + " bytes) for an index object");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new IndexFormatException(objectName, "bad magic, not a Fjord chunk index object");
      }
    }
    int version = bytes[MAGIC.length] & 0xff;
    if (version != VERSION) {
      throw new IndexFormatException(objectName, "unsupported index format version " + version
          + " (this reader reads version " + VERSION + ")");
    }
    int end = bytes.length - 4;
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, end);
    int stored = ((bytes[end] & 0xff) << 24) | ((bytes[end + 1] & 0xff) << 16) | ((bytes[end + 2] & 0xff) << 8)
        | (bytes[end + 3] & 0xff);
    if ((int) crc.getValue() != stored) {
      throw new IndexFormatException(objectName, String.format("checksum mismatch (stored %08x, computed %08x)",
          stored, (int) crc.getValue()));
    }
    ByteReader in = new ByteReader(bytes, MAGIC.length + 1, end, reason -> new IndexFormatException(objectName, reason));
    String owner = in.str("tenant");
    if (!owner.equals(tenant)) {
      throw new IndexFormatException(objectName, "holds tenant \"" + owner + "\"'s chunks, expected \"" + tenant + "\"");
    }
    int streamCount = in.count("stream count", in.remaining() / MIN_STREAM_BYTES);
    long[] fingerprints = new long[streamCount];
    Labels[] labels = new Labels[streamCount];
    for (int s = 0; s < streamCount; s++) {
      fingerprints[s] = in.i64("stream fingerprint");
      int n = in.count("label count", in.remaining() / 2);
      List<String[]> pairs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        pairs.add(new String[] {in.str("label name"), in.str("label value")});
      }
      try {
        labels[s] = Labels.ofPairs(pairs);
      } catch (IllegalArgumentException e) {
        throw in.error("stream " + s + ": " + e.getMessage());
      }
    }
    int chunkCount = in.count("chunk count", in.remaining() / MIN_CHUNK_BYTES);
    List<ChunkRef> refs = new ArrayList<>(chunkCount);
    for (int c = 0; c < chunkCount; c++) {
      int s = in.count("chunk stream", streamCount - 1L);
      long from = in.i64("chunk from");
      long through = in.i64("chunk through");
      int checksum = in.rawU32("chunk checksum");
      long size = in.uvarint("chunk bytes");
      long entries = in.uvarint("chunk entries");
      if (entries > Integer.MAX_VALUE) {
        throw in.error("chunk " + c + ": entry count " + Long.toUnsignedString(entries) + " out of range");
      }
      try {
        refs.add(new ChunkRef(new ChunkKey(tenant, fingerprints[s], from, through, checksum), labels[s], size,
            (int) entries));
      } catch (IllegalArgumentException e) {
        throw in.error("chunk " + c + ": " + e.getMessage());
      }
    }
    if (in.remaining() != 0) {
      throw in.error(in.remaining() + " bytes left over after the last chunk");
    }
    return refs;
  }

  private record Stream(long fingerprint, Labels labels) {}
}
