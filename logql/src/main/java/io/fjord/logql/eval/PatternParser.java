package io.fjord.logql.eval;

/**
 * {@code | pattern "<ip> - <_> <status>"}: each named capture becomes a label (see
 * {@link LinePattern} for the matching rules). Immutable and thread-safe.
 */
final class PatternParser implements Stage {
  private final LinePattern pattern;

  PatternParser(String pattern) {
    this.pattern = LinePattern.parse(pattern);
    if (this.pattern.namedCaptures() == 0) {
      throw new IllegalArgumentException("at least one capture is required");
    }
  }

  @Override
  public boolean process(Entry e) {
    e.beginParse();
    pattern.extract(e.line, e::setParsed);
    return true;
  }
}
