package io.fjord.ingester.chunk;

import io.fjord.logql.eval.LinePrefilter;
import io.fjord.schemas.labels.Labels;
import java.nio.charset.StandardCharsets;

/**
 * The entries of one decompressed block, in parallel arrays. Lines stay UTF-8 bytes in the block
 * body until {@link #line} reads them, so a query whose {@link LinePrefilter} rejects a line on its
 * bytes never decodes it. Immutable in content: the decoded lines are cached racily, which is safe
 * because each is the same immutable string whichever thread makes it.
 */
final class DecodedBlock implements EntryRun {
  private final long[] ts;
  private final byte[] body;
  private final int[] lineOffsets;
  private final int[] lineLengths;
  private final String[] lines;
  private final Labels[] metadata;

  DecodedBlock(long[] ts, byte[] body, int[] lineOffsets, int[] lineLengths, Labels[] metadata) {
    this.ts = ts;
    this.body = body;
    this.lineOffsets = lineOffsets;
    this.lineLengths = lineLengths;
    this.lines = new String[ts.length];
    this.metadata = metadata;
  }

  @Override
  public int size() {
    return ts.length;
  }

  @Override
  public long ts(int i) {
    return ts[i];
  }

  @Override
  public String line(int i) {
    String l = lines[i];
    if (l == null) {
      l = new String(body, lineOffsets[i], lineLengths[i], StandardCharsets.UTF_8);
      lines[i] = l;
    }
    return l;
  }

  @Override
  public Labels metadata(int i) {
    return metadata[i];
  }

  /** The decompressed block body, which holds the lines' UTF-8 bytes. */
  byte[] body() {
    return body;
  }

  /** Where line {@code i}'s bytes start in {@link #body()}. */
  int lineOffset(int i) {
    return lineOffsets[i];
  }

  @Override
  public long lineBytes(int i) {
    return lineLengths[i];
  }

  @Override
  public boolean mayKeep(int i, LinePrefilter prefilter) {
    return prefilter.mayKeep(body, lineOffsets[i], lineLengths[i]);
  }
}
