package io.fjord.logql.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * A pattern expression ({@code <ip> - <_> "<method> <path>"}) split into literals and captures.
 * Used by the {@code | pattern} parser (named captures become labels) and the {@code |>} line
 * filter. Matching is anchored at the start (unless the pattern starts with a capture); a capture
 * extends to the next literal or to the end of the line. Immutable and thread-safe.
 */
final class LinePattern {
  /** One part: a literal text, or a capture (name {@code _} for an unnamed one). */
  record Part(String literal, String capture) {}

  private final List<Part> parts;
  private final int named;

  private LinePattern(List<Part> parts) {
    this.parts = List.copyOf(parts);
    this.named = (int) parts.stream().filter(p -> p.capture() != null && !p.capture().equals("_")).count();
  }

  /** Parses the pattern; throws {@link IllegalArgumentException} with Loki's texts. */
  static LinePattern parse(String pattern) {
    List<Part> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '<') {
        int end = pattern.indexOf('>', i);
        String name = end < 0 ? null : pattern.substring(i + 1, end);
        if (name != null && name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          if (lit.length() > 0) {
            parts.add(new Part(lit.toString(), null));
            lit.setLength(0);
          } else if (!parts.isEmpty() && parts.get(parts.size() - 1).capture() != null) {
            throw new IllegalArgumentException("found consecutive capture '" + name + "': invalid expression");
          }
          parts.add(new Part(null, name));
          i = end + 1;
          continue;
        }
      }
      lit.append(c);
      i++;
    }
    if (lit.length() > 0) {
      parts.add(new Part(lit.toString(), null));
    }
    return new LinePattern(parts);
  }

  /** Number of named (not {@code _}) captures. */
  int namedCaptures() {
    return named;
  }

  List<Part> parts() {
    return parts;
  }

  /** True when the whole line fits the pattern. */
  boolean matchesLine(String line) {
    return match(line, null, true);
  }

  /**
   * Matches {@code line} and reports each named capture to {@code sink} (name, value); returns
   * false (having reported nothing useful) when a literal is not found.
   */
  boolean extract(String line, CaptureSink sink) {
    return match(line, sink, false);
  }

  /** Receives the captures of {@link #extract}. */
  interface CaptureSink {
    void capture(String name, String value);
  }

  private boolean match(String line, CaptureSink sink, boolean wholeLine) {
    int pos = 0;
    String pendingCapture = null;
    int captureStart = 0;
    for (Part p : parts) {
      if (p.capture() != null) {
        pendingCapture = p.capture();
        captureStart = pos;
        continue;
      }
      int at;
      if (pendingCapture == null) {
        if (!line.startsWith(p.literal(), pos)) {
          return false;
        }
        at = pos;
      } else {
        at = line.indexOf(p.literal(), pos);
        if (at < 0) {
          return false;
        }
        if (sink != null && !pendingCapture.equals("_")) {
          sink.capture(pendingCapture, line.substring(captureStart, at));
        }
        pendingCapture = null;
      }
      pos = at + p.literal().length();
    }
    if (pendingCapture != null) {
      if (sink != null && !pendingCapture.equals("_")) {
        sink.capture(pendingCapture, line.substring(captureStart));
      }
      return true;
    }
    return !wholeLine || pos == line.length();
  }
}
