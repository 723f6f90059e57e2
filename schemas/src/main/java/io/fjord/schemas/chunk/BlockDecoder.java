package io.fjord.schemas.chunk;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Verifies, decompresses and parses one block of a version 1 or 2 chunk. The CRC is checked before
 * anything is decompressed, the block header must agree with the footer's index entry, and the body
 * must hold exactly the entries it claims, in time order within the block's span. A version 2 body
 * is decompressed once; its small columns are parsed into arrays and each line stays a slice of the
 * body until it is kept (the {@link LineFilter} sees the slice). Its body buffer and columns are a
 * {@link BlockScratch} borrowed for each block and given back before the entries are returned (no
 * entry refers to them); when the pool is empty, one of its own, kept. Single-threaded: it keeps
 * per-block state in fields.
 */
final class BlockDecoder {
  private final String objectName;
  private final ChunkCodec codec;
  private final int version;
  private final CRC32C crc = new CRC32C();
  // set only when the pool was empty at a block: then this decoder keeps its own arrays
  private BlockScratch own;
  // the body buffer and v2 columns of the current block: a pooled BlockScratch's arrays, lent for
  // one decode call (set by lend, given back by giveBack; null between calls)
  private byte[] raw;
  private long[] timestamps;
  private int[] lineStarts;
  private int[] mdStarts;
  private int[] multiLineEntries;
  private int[] nextHits;

  BlockDecoder(String objectName, ChunkCodec codec) {
    this(objectName, codec, ChunkFormat.VERSION_1);
  }

  BlockDecoder(String objectName, ChunkCodec codec, int version) {
    this.objectName = objectName;
    this.codec = codec;
    this.version = version;
  }

  /** Decodes the block {@code meta} whose bytes start at {@code buf[off]}. */
  List<LogEntry> decode(BlockMeta meta, byte[] buf, int off) {
    return decode(meta, buf, off, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * Decodes the entries with {@code from <= ts <= last} of the block {@code meta} whose bytes start
   * at {@code buf[off]}. The whole block is still checked; entries outside the range are skipped
   * without building their line or metadata.
   */
  List<LogEntry> decode(BlockMeta meta, byte[] buf, int off, long from, long last) {
    return decode(meta, buf, off, from, last, LineFilter.ALL, null);
  }

  /**
   * As {@link #decode(BlockMeta, byte[], int, long, long)}, also passing over (without building them)
   * the entries whose line {@code filter} refuses, counted in {@code skipped}.
   */
  List<LogEntry> decode(BlockMeta meta, byte[] buf, int off, long from, long last, LineFilter filter,
      LineFilter.Skipped skipped) {
    BlockScratch scratch = own;
    boolean pooled = false;
    if (scratch == null) {
      scratch = BlockScratch.poll();
      pooled = scratch != null;
      if (!pooled) {
        scratch = own = BlockScratch.create(); // the pool is empty: this reader keeps its own
      }
    }
    lend(scratch);
    try {
      return decodeLent(meta, buf, off, from, last, filter, skipped);
    } finally {
      giveBack(scratch);
      if (pooled) {
        BlockScratch.release(scratch);
      }
    }
  }

  private void lend(BlockScratch s) {
    raw = s.raw;
    timestamps = s.timestamps;
    lineStarts = s.lineStarts;
    mdStarts = s.mdStarts;
    multiLineEntries = s.multiLineEntries;
    nextHits = s.nextHits;
  }

  /** Hands the (possibly grown) arrays back to {@code s} and forgets them. */
  private void giveBack(BlockScratch s) {
    s.raw = raw;
    s.timestamps = timestamps;
    s.lineStarts = lineStarts;
    s.mdStarts = mdStarts;
    s.multiLineEntries = multiLineEntries;
    s.nextHits = nextHits;
    raw = null;
    timestamps = null;
    lineStarts = null;
    mdStarts = null;
    multiLineEntries = null;
    nextHits = null;
    prevMd = Labels.EMPTY;
  }

  private List<LogEntry> decodeLent(BlockMeta meta, byte[] buf, int off, long from, long last, LineFilter filter,
      LineFilter.Skipped skipped) {
    if (buf.length - off < meta.length()) {
      throw new ChunkFormatException(objectName, where(meta) + ": truncated");
    }
    int crcAt = off + meta.length() - 4;
    crc.reset();
    crc.update(buf, off, meta.length() - 4);
    if ((int) crc.getValue() != ByteReader.getU32(buf, crcAt)) {
      throw new ChunkFormatException(objectName, where(meta) + ": checksum mismatch");
    }
    ByteReader h = reader(buf, off, crcAt, meta, "");
    int entries = h.u32("entry count");
    long minTs = h.i64("minTs");
    long maxTs = h.i64("maxTs");
    int rawLength = h.u32("raw length");
    int dataLength = h.u32("data length");
    if (entries != meta.entries() || minTs != meta.minTs() || maxTs != meta.maxTs()
        || rawLength != meta.rawLength() || dataLength != meta.length() - ChunkFormat.BLOCK_OVERHEAD) {
      throw h.error("header disagrees with the footer's index");
    }
    if (codec == ChunkCodec.NONE) {
      if (dataLength != rawLength) {
        throw h.error("uncompressed data of " + dataLength + " bytes, raw length says " + rawLength);
      }
      return parse(meta, buf, h.pos, rawLength, from, last, filter, skipped);
    }
    if (raw.length < rawLength) {
      // doubling stops at what the pool keeps, so a buffer grown for a large block stays poolable
      raw = new byte[Math.max(rawLength, Math.min(raw.length * 2, BlockScratch.KEEP_RAW_BYTES))];
    }
    try {
      Compression.decompress(codec, buf, h.pos, dataLength, raw, rawLength);
    } catch (IllegalStateException e) {
      throw new ChunkFormatException(objectName, where(meta) + ": " + e.getMessage(), e);
    }
    return parse(meta, raw, 0, rawLength, from, last, filter, skipped);
  }

  /** How errors name block {@code meta}; built only when there is an error. */
  private static String where(BlockMeta meta) {
    return "block " + meta.index() + " (offset " + meta.offset() + ")";
  }

  /** A reader of {@code b[from, to)} whose errors name block {@code meta} and then {@code suffix}. */
  private ByteReader reader(byte[] b, int from, int to, BlockMeta meta, String suffix) {
    return new ByteReader(b, from, to,
        reason -> new ChunkFormatException(objectName, where(meta) + suffix + ": " + reason));
  }

  private List<LogEntry> parse(BlockMeta meta, byte[] body, int off, int len, long from, long last,
      LineFilter filter, LineFilter.Skipped skipped) {
    return version == ChunkFormat.VERSION_1
        ? parseV1(meta, body, off, len, from, last, filter, skipped)
        : parseV2(meta, body, off, len, from, last, filter, skipped);
  }

  /**
   * Parses a v2 body: the timestamp column into an array, the metadata column's structure, the
   * multi-line list, and where each line ends (the next line feed, or the listed length), checking
   * them all; then builds the entries in range that the filter keeps.
   */
  private List<LogEntry> parseV2(BlockMeta meta, byte[] body, int off, int len, long from, long last,
      LineFilter filter, LineFilter.Skipped skipped) {
    ByteReader r = reader(body, off, off + len, meta, "");
    int n = meta.entries();
    if (timestamps.length < n) {
      int size = Math.max(n, Math.min(2 * timestamps.length, BlockScratch.KEEP_ENTRIES));
      timestamps = new long[size];
      lineStarts = new int[size + 1];
      mdStarts = new int[size + 1];
    }
    long[] ts = timestamps;
    long prev = meta.minTs();
    long maxTs = meta.maxTs();
    for (int i = 0; i < n; i++) {
      long delta = r.uvarint("timestamp");
      if (Long.compareUnsigned(delta, maxTs - prev) > 0) {
        throw r.error("entry " + i + " timestamp lies past the block's maxTs");
      }
      if (i == 0 && delta != 0) {
        throw r.error("the first entry's timestamp delta is " + Long.toUnsignedString(delta)
            + ", not 0 (it must be at the block's minTs)");
      }
      prev += delta;
      ts[i] = prev;
    }
    if (prev != maxTs) {
      throw r.error("last entry at " + prev + ", the header says maxTs " + maxTs);
    }
    long mdLengthValue = r.uvarint("metadata length");
    if (mdLengthValue < 0 || mdLengthValue > r.remaining()) {
      throw r.error("metadata length " + Long.toUnsignedString(mdLengthValue) + " out of range");
    }
    int mdLength = (int) mdLengthValue;
    int mdBegin = r.pos;
    int[] md = mdStarts;
    if (mdLength > 0) {
      ByteReader m = reader(body, mdBegin, mdBegin + mdLength, meta, " metadata");
      int mdEnd = mdBegin + mdLength;
      int mp = mdBegin;
      for (int i = 0; i < n; i++) {
        md[i] = mp;
        if (mp < mdEnd && body[mp] == 0) { // no metadata: a count of 0, the usual case, read inline
          mp++;
          continue;
        }
        m.pos = mp;
        int mdCount = m.count("metadata count", m.remaining() / 2);
        for (int j = 0; j < 2 * mdCount; j++) {
          skipStr(m, "metadata");
        }
        mp = m.pos;
      }
      m.pos = mp;
      md[n] = mp;
      if (m.remaining() != 0) {
        throw m.error(m.remaining() + " unread bytes after the last entry's metadata");
      }
    }
    r.pos = mdBegin + mdLength;

    // the lines that hold a line feed: their entry index (as a delta) and length
    int multiLines = r.count("multi-line count", n);
    int[] multi = multiLineEntries;
    if (multi.length < 2 * multiLines) {
      multi = multiLineEntries =
          new int[Math.max(2 * multiLines, Math.min(2 * multi.length, 2 * BlockScratch.KEEP_ENTRIES))];
    }
    long index = -1;
    for (int k = 0; k < multiLines; k++) {
      long delta = r.uvarint("multi-line entry");
      index = k == 0 ? delta : index + delta;
      if (delta < 0 || index < 0 || index >= n || (k > 0 && delta == 0)) {
        throw r.error("multi-line entry " + Long.toUnsignedString(delta) + " out of range");
      }
      long lineLen = r.uvarint("multi-line length");
      if (lineLen < 0 || lineLen >= r.remaining()) {
        throw r.error("multi-line entry " + index + " line of " + Long.toUnsignedString(lineLen)
            + " bytes overruns the body");
      }
      multi[2 * k] = (int) index;
      multi[2 * k + 1] = (int) lineLen;
    }

    boolean all = from <= meta.minTs() && last >= maxTs;
    prevMd = Labels.EMPTY;
    prevMdStart = 0;
    prevMdEnd = 0;
    if (filter != LineFilter.ALL && !filter.requiredLiterals().isEmpty()) {
      return searchLines(meta, r, n, multiLines, body, r.pos, off + len, all, from, last, mdLength, filter, skipped);
    }

    // the lines, each ended by a line feed; starts[i + 1] - 1 is where line i ends. One search per
    // line: in the whole decode it measured ~5% faster than one pass recording every line feed of a
    // run (ByteSearch's SWAR search for the next one leaves its loop at the line's end)
    int[] starts = lineStarts;
    int p = r.pos;
    int end = off + len;
    int nextMulti = 0;
    for (int i = 0; i < n; i++) {
      starts[i] = p;
      int lf;
      if (nextMulti < multiLines && multi[2 * nextMulti] == i) {
        lf = p + multi[2 * nextMulti + 1];
        nextMulti++;
        if (lf >= end || body[lf] != '\n') {
          throw r.error("entry " + i + " multi-line line does not end with a line feed where its length says");
        }
      } else {
        lf = ByteSearch.indexOfLineFeed(body, p, end);
        if (lf < 0) {
          throw r.error("entry " + i + " line has no line feed before the end of the body");
        }
      }
      p = lf + 1;
    }
    starts[n] = p;
    if (p != end) {
      throw r.error((end - p) + " unread bytes after the last line");
    }

    boolean filtering = filter != LineFilter.ALL;
    List<LogEntry> out = new ArrayList<>(all ? n : 16);
    for (int i = 0; i < n; i++) {
      long t = ts[i];
      if (!all && (t < from || t > last)) {
        continue;
      }
      int lineStart = starts[i];
      int lineLen = starts[i + 1] - 1 - lineStart;
      if (filtering && !filter.mayKeep(body, lineStart, lineLen)) {
        if (skipped != null) {
          skipped.add(lineLen);
        }
        continue;
      }
      out.add(entry(meta, i, body, lineStart, lineLen, mdLength));
    }
    return out;
  }

  // the metadata last built in the current block, reused for the next entry with the same bytes
  private Labels prevMd = Labels.EMPTY;
  private int prevMdStart;
  private int prevMdEnd;

  /** Builds entry {@code i} of the current v2 block, whose line is {@code body[lineStart, +lineLen)}. */
  private LogEntry entry(BlockMeta meta, int i, byte[] body, int lineStart, int lineLen, int mdLength) {
    int[] md = mdStarts;
    Labels labels = Labels.EMPTY;
    if (mdLength > 0 && md[i + 1] - md[i] > 1) {
      int mdStart = md[i];
      int mdEnd = md[i + 1];
      if (mdEnd - mdStart == prevMdEnd - prevMdStart
          && Arrays.equals(body, mdStart, mdEnd, body, prevMdStart, prevMdEnd)) {
        labels = prevMd; // consecutive entries very often carry the same metadata
      } else {
        labels = metadata(meta, i, body, mdStart, mdEnd);
        prevMd = labels;
        prevMdStart = mdStart;
        prevMdEnd = mdEnd;
      }
    }
    return new LogEntry(timestamps[i], new String(body, lineStart, lineLen, StandardCharsets.UTF_8), labels);
  }

  // where the block search stands in the line region: entry cursorEntry starts at cursorPos, and
  // cursorMulti is the index in the multi-line list of the first listed entry >= cursorEntry
  private int cursorEntry;
  private int cursorPos;
  private int cursorMulti;

  /**
   * The lines of a v2 body when the filter names literals a kept line holds: searches the whole line
   * region {@code body[begin, end)} for them, and only around each hit finds the line (by counting
   * line feeds from the previous hit, eight bytes at a time, and walking back to the line's start);
   * the lines without a hit are never handed to the filter. The entries in range are the contiguous
   * indexes {@code [a, b)} (timestamps never decrease), so what was passed over is counted as
   * {@code b - a} minus what was kept. The structure is checked as fully as the line-by-line walk:
   * the cursor still goes to the last entry, checking every listed multi-line length and that the
   * region holds exactly the entries' line feeds. When most lines turn out to hold a hit, the rest of
   * the range is walked line by line instead (each line's end found, each line handed to the filter).
   */
  private List<LogEntry> searchLines(BlockMeta meta, ByteReader r, int n, int multiLines, byte[] body, int begin,
      int end, boolean all, long from, long last, int mdLength, LineFilter filter, LineFilter.Skipped skipped) {
    long[] ts = timestamps;
    int a = all ? 0 : firstAtOrAfter(ts, n, from);
    int b = all ? n : Math.max(a, firstAfter(ts, n, last));
    cursorEntry = 0;
    cursorPos = begin;
    cursorMulti = 0;
    advanceTo(r, a, multiLines, body, end);
    int rangeBegin = cursorPos;
    List<byte[]> literals = filter.requiredLiterals();
    int[] hits = nextHits.length >= literals.size() ? nextHits : (nextHits = new int[literals.size()]);
    Arrays.fill(hits, 0, literals.size(), -1);
    List<LogEntry> out = new ArrayList<>(16);
    long keptBytes = 0;
    int visited = 0;
    while (cursorEntry < b) {
      int lineEnd;
      if (visited > DENSE_AFTER && 2 * visited > cursorEntry - a) {
        // most lines so far held a hit: walking line by line is cheaper than searching and locating
        lineEnd = lineEndAtCursor(r, multiLines, body, end);
      } else {
        int s = cursorPos;
        int h = Integer.MAX_VALUE;
        for (int j = 0; j < literals.size(); j++) {
          if (hits[j] < s) { // -1 at first; a hit at or after s stays the first one from s
            int at = ByteSearch.indexOf(body, s, end, literals.get(j));
            hits[j] = at < 0 ? Integer.MAX_VALUE : at;
          }
          h = Math.min(h, hits[j]);
        }
        if (h == Integer.MAX_VALUE) {
          break;
        }
        lineEnd = locate(r, h, b, multiLines, body, end); // moves the cursor to the hit's entry
        if (lineEnd < 0) {
          break; // the hit lies past the range; the cursor is at entry b
        }
      }
      visited++;
      int e = cursorEntry;
      int lineStart = cursorPos;
      int lineLen = lineEnd - lineStart;
      if (filter.mayKeep(body, lineStart, lineLen)) {
        out.add(entry(meta, e, body, lineStart, lineLen, mdLength));
        keptBytes += lineLen;
      }
      if (cursorMulti < multiLines && multiLineEntries[2 * cursorMulti] == e) {
        cursorMulti++;
      }
      cursorEntry = e + 1;
      cursorPos = lineEnd + 1;
    }
    advanceTo(r, b, multiLines, body, end);
    int rangeEnd = cursorPos;
    advanceTo(r, n, multiLines, body, end);
    if (cursorPos != end) {
      throw r.error((end - cursorPos) + " unread bytes after the last line");
    }
    if (skipped != null) {
      skipped.add((b - a) - out.size(), (long) (rangeEnd - rangeBegin) - (b - a) - keptBytes);
    }
    return out;
  }

  /** Lines handed to the filter in a block before the search may give way to the line-by-line walk. */
  private static final int DENSE_AFTER = 16;

  /** Where the line of the entry at the cursor ends (its line feed), checked; the cursor stays. */
  private int lineEndAtCursor(ByteReader r, int multiLines, byte[] body, int end) {
    if (cursorMulti < multiLines && multiLineEntries[2 * cursorMulti] == cursorEntry) {
      return multiLineEnd(r, multiLineEntries[2 * cursorMulti + 1], body, end);
    }
    int lf = ByteSearch.indexOfLineFeed(body, cursorPos, end);
    if (lf < 0) {
      throw r.error("entry " + cursorEntry + " line has no line feed before the end of the body");
    }
    return lf;
  }

  /** Moves the cursor forward to the start of entry {@code target}, checking each line it passes. */
  private void advanceTo(ByteReader r, int target, int multiLines, byte[] body, int end) {
    int[] multi = multiLineEntries;
    while (cursorEntry < target) {
      if (cursorMulti < multiLines && multi[2 * cursorMulti] == cursorEntry) {
        cursorPos = multiLineEnd(r, multi[2 * cursorMulti + 1], body, end) + 1;
        cursorMulti++;
        cursorEntry++;
      } else {
        int stop = cursorMulti < multiLines ? Math.min(target, multi[2 * cursorMulti]) : target;
        int lf = ByteSearch.nthLineFeed(body, cursorPos, end, stop - cursorEntry);
        if (lf < 0) {
          throw r.error("entry " + (cursorEntry + (-1 - lf)) + " line has no line feed before the end of the body");
        }
        cursorPos = lf + 1;
        cursorEntry = stop;
      }
    }
  }

  /** Where the listed multi-line line of {@code length} bytes at the cursor ends (its line feed), checked. */
  private int multiLineEnd(ByteReader r, int length, byte[] body, int end) {
    int lf = cursorPos + length;
    if (lf >= end || body[lf] != '\n') {
      throw r.error("entry " + cursorEntry + " multi-line line does not end with a line feed where its length says");
    }
    return lf;
  }

  /**
   * Moves the cursor to the start of the entry whose line (or ending line feed) holds byte {@code h}
   * (at or after the cursor) and returns where that line ends (its line feed); or, when that entry
   * is at or past {@code limit}, moves it to entry {@code limit} and returns -1.
   */
  private int locate(ByteReader r, int h, int limit, int multiLines, byte[] body, int end) {
    int[] multi = multiLineEntries;
    while (true) {
      if (cursorEntry >= limit) {
        return -1;
      }
      if (cursorMulti < multiLines && multi[2 * cursorMulti] == cursorEntry) {
        int lf = multiLineEnd(r, multi[2 * cursorMulti + 1], body, end);
        if (h <= lf) {
          return lf;
        }
        cursorPos = lf + 1;
        cursorMulti++;
        cursorEntry++;
        continue;
      }
      // entries cursorEntry .. stop - 1 hold no line feed: each ends at the next one
      int stop = cursorMulti < multiLines ? Math.min(limit, multi[2 * cursorMulti]) : limit;
      int lf = ByteSearch.nthLineFeed(body, cursorPos, h, stop - cursorEntry);
      if (lf >= 0) {
        cursorPos = lf + 1;
        cursorEntry = stop;
        continue;
      }
      int before = -1 - lf; // line feeds in [cursorPos, h): the hit is in entry cursorEntry + before
      if (before > 0) {
        cursorPos = ByteSearch.lastLineFeed(body, cursorPos, h) + 1;
        cursorEntry += before;
      }
      int lineEnd = ByteSearch.indexOfLineFeed(body, h, end);
      if (lineEnd < 0) {
        throw r.error("entry " + cursorEntry + " line has no line feed before the end of the body");
      }
      return lineEnd;
    }
  }

  /** The first index in {@code ts[0, n)} (not decreasing) whose value is {@code >= t}, or n. */
  private static int firstAtOrAfter(long[] ts, int n, long t) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first index in {@code ts[0, n)} (not decreasing) whose value is {@code > t}, or n. */
  private static int firstAfter(long[] ts, int n, long t) {
    return t == Long.MAX_VALUE ? n : firstAtOrAfter(ts, n, t + 1);
  }

  /** Builds the metadata of entry {@code i} from its (structurally checked) bytes. */
  private Labels metadata(BlockMeta meta, int i, byte[] body, int start, int end) {
    ByteReader m = reader(body, start, end, meta, " metadata");
    int mdCount = m.count("metadata count", m.remaining() / 2);
    List<String[]> pairs = new ArrayList<>(mdCount);
    for (int j = 0; j < mdCount; j++) {
      pairs.add(new String[] {m.str("metadata name"), m.str("metadata value")});
    }
    try {
      return Labels.ofPairs(pairs);
    } catch (IllegalArgumentException e) {
      throw m.error("entry " + i + " metadata: " + e.getMessage());
    }
  }

  private List<LogEntry> parseV1(BlockMeta meta, byte[] body, int off, int len, long from, long last,
      LineFilter filter, LineFilter.Skipped skipped) {
    boolean filtering = filter != LineFilter.ALL;
    ByteReader r = reader(body, off, off + len, meta, "");
    int n = meta.entries();
    boolean all = from <= meta.minTs() && last >= meta.maxTs();
    List<LogEntry> out = new ArrayList<>(all ? n : 16);
    long prev = meta.minTs();
    long maxTs = meta.maxTs();
    int prevMdStart = 0;
    int prevMdEnd = 0;
    Labels prevMd = Labels.EMPTY;
    for (int i = 0; i < n; i++) {
      long delta = r.uvarint("timestamp");
      if (Long.compareUnsigned(delta, maxTs - prev) > 0) {
        throw r.error("entry " + i + " timestamp lies past the block's maxTs");
      }
      long ts = prev + delta;
      prev = ts;
      if (!all && (ts < from || ts > last)) {
        skipStr(r, "line");
        int mdCount = r.count("metadata count", r.remaining() / 2);
        for (int j = 0; j < 2 * mdCount; j++) {
          skipStr(r, "metadata");
        }
        continue;
      }
      String line;
      if (filtering) {
        long lineLen = r.uvarint("line");
        if (lineLen < 0 || lineLen > r.remaining()) {
          throw r.error("line of " + Long.toUnsignedString(lineLen) + " bytes overruns its structure");
        }
        int lineStart = r.pos;
        r.pos += (int) lineLen;
        if (!filter.mayKeep(body, lineStart, (int) lineLen)) {
          int mdCount = r.count("metadata count", r.remaining() / 2);
          for (int j = 0; j < 2 * mdCount; j++) {
            skipStr(r, "metadata");
          }
          if (skipped != null) {
            skipped.add((int) lineLen);
          }
          continue;
        }
        line = new String(body, lineStart, (int) lineLen, StandardCharsets.UTF_8);
      } else {
        line = r.str("line");
      }
      int mdStart = r.pos;
      int mdCount = r.count("metadata count", r.remaining() / 2);
      Labels md;
      if (mdCount == 0) {
        md = Labels.EMPTY;
      } else {
        int pairsStart = r.pos;
        for (int j = 0; j < 2 * mdCount; j++) {
          skipStr(r, "metadata");
        }
        int mdEnd = r.pos;
        if (mdEnd - mdStart == prevMdEnd - prevMdStart
            && Arrays.equals(body, mdStart, mdEnd, body, prevMdStart, prevMdEnd)) {
          md = prevMd; // consecutive entries very often carry the same metadata
        } else {
          r.pos = pairsStart;
          List<String[]> pairs = new ArrayList<>(mdCount);
          for (int j = 0; j < mdCount; j++) {
            pairs.add(new String[] {r.str("metadata name"), r.str("metadata value")});
          }
          try {
            md = Labels.ofPairs(pairs);
          } catch (IllegalArgumentException e) {
            throw r.error("entry " + i + " metadata: " + e.getMessage());
          }
          prevMd = md;
          prevMdStart = mdStart;
          prevMdEnd = mdEnd;
        }
      }
      out.add(new LogEntry(ts, line, md));
    }
    if (r.remaining() != 0) {
      throw r.error(r.remaining() + " unread bytes after the last entry");
    }
    if (prev != maxTs) {
      throw r.error("last entry at " + prev + ", the header says maxTs " + maxTs);
    }
    return out;
  }

  private static void skipStr(ByteReader r, String what) {
    long n = r.uvarint(what);
    if (n < 0 || n > r.remaining()) {
      throw r.error(what + " of " + Long.toUnsignedString(n) + " bytes overruns its structure");
    }
    r.pos += (int) n;
  }
}
