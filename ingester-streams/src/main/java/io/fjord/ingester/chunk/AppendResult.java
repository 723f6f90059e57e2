package io.fjord.ingester.chunk;

/**
 * What an append did: how many entries it stored, how many it dropped as duplicates of an entry
 * already held (same timestamp, same line), and how many it refused as too far behind the stream's
 * newest entry (older than it by more than {@code max_chunk_age / 2}) with their line bytes.
 * Immutable.
 */
public record AppendResult(int appended, int duplicates, int tooFarBehind, long tooFarBehindBytes) {
  public AppendResult(int appended, int duplicates) {
    this(appended, duplicates, 0, 0);
  }
}
