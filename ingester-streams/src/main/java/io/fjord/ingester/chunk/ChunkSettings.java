package io.fjord.ingester.chunk;

import java.time.Duration;

/**
 * When memory chunks cut and seal, in plain numbers: cut the head into a block once its line bytes
 * reach {@code blockSize}; seal the chunk once its compressed blocks reach {@code targetSize}, once
 * no entry arrived for {@code idlePeriod}, or once it has been open for {@code maxAge} (wall-clock
 * time since its first entry arrived). A sealed chunk takes no more entries and waits for the
 * flush. Immutable; pure (no clock of its own: callers pass "now").
 */
public record ChunkSettings(long blockSize, long targetSize, Duration idlePeriod, Duration maxAge) {
  public ChunkSettings {
    if (blockSize <= 0 || targetSize <= 0) {
      throw new IllegalArgumentException("chunk block and target sizes must be positive");
    }
    if (idlePeriod.isNegative() || idlePeriod.isZero() || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("chunk idle period and max age must be positive");
    }
  }

  public boolean headFull(long headLineBytes) {
    return headLineBytes >= blockSize;
  }

  public boolean chunkFull(long compressedBytes) {
    return compressedBytes >= targetSize;
  }

  /** Why an open chunk with these statistics must be sealed now, or {@code null} if it need not. */
  public SealReason sealReason(long compressedBytes, long firstAppendMillis, long lastAppendMillis, long nowMillis) {
    if (chunkFull(compressedBytes)) {
      return SealReason.FULL;
    }
    if (nowMillis - firstAppendMillis >= maxAge.toMillis()) {
      return SealReason.MAX_AGE;
    }
    if (nowMillis - lastAppendMillis >= idlePeriod.toMillis()) {
      return SealReason.IDLE;
    }
    return null;
  }
}
