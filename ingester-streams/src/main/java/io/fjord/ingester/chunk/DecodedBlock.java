package io.fjord.ingester.chunk;

import io.fjord.schemas.labels.Labels;

/** The entries of one decompressed block, in parallel arrays. Immutable after construction. */
final class DecodedBlock implements EntryRun {
  private final long[] ts;
  private final String[] lines;
  private final Labels[] metadata;

  DecodedBlock(long[] ts, String[] lines, Labels[] metadata) {
    this.ts = ts;
    this.lines = lines;
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
    return lines[i];
  }

  @Override
  public Labels metadata(int i) {
    return metadata[i];
  }
}
