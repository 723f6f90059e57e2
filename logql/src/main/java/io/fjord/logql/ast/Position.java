package io.fjord.logql.ast;

/**
 * Where a node starts in the query text: 1-based line and column (columns count UTF-16 chars).
 * {@code (0, 0)} means "no position", as Loki prints for errors found after parsing. Immutable.
 */
public record Position(int line, int column) {
  public static final Position NONE = new Position(0, 0);
}
