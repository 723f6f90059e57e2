package io.fjord.querier.source;

/** The order of a log query's entries: oldest first ({@code FORWARD}) or newest first ({@code BACKWARD}). */
public enum Direction {
  FORWARD,
  BACKWARD
}
