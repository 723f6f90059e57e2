package io.fjord.schemas.chunk;

/** The order a chunk's entries are read in: oldest first, or newest first. */
public enum ScanDirection {
  FORWARD,
  BACKWARD
}
