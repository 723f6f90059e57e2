package io.fjord.logql.eval;

import io.fjord.logql.ast.LabelName;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The stages that only edit labels or strip the line: {@code drop}, {@code keep},
 * {@code label_format dst=src} renames, and {@code decolorize}. Stateless factory; the stages
 * are immutable and thread-safe.
 */
final class LabelStages {
  private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;:?]*[ -/]*[@-~]");

  private LabelStages() {}

  /** A name, optionally restricted to entries whose value matches. */
  private record Target(String name, StringMatcher matcher) {
    boolean applies(Entry e) {
      if (matcher == null) {
        return true;
      }
      String v = e.get(name);
      return v != null && matcher.matches(v);
    }
  }

  private static List<Target> targets(List<LabelName> names) {
    List<Target> out = new ArrayList<>();
    for (LabelName n : names) {
      out.add(new Target(n.name(), n.matcher().map(m -> StringMatcher.of(m.type(), m.value())).orElse(null)));
    }
    return out;
  }

  /** {@code | drop a, b="v"}: removes a label (a matcher removes it only when it matches). */
  static Stage drop(List<LabelName> names) {
    List<Target> targets = targets(names);
    return e -> {
      for (Target t : targets) {
        if (t.applies(e)) {
          e.delete(t.name());
        }
      }
      return true;
    };
  }

  /** {@code | keep a, b="v"}: removes every other label except the error labels. */
  static Stage keep(List<LabelName> names) {
    List<Target> targets = targets(names);
    return e -> {
      List<String> keep = new ArrayList<>();
      for (Target t : targets) {
        if (t.applies(e)) {
          keep.add(t.name());
        }
      }
      for (String n : e.names()) {
        if (!keep.contains(n) && !n.equals(Entry.ERROR) && !n.equals(Entry.ERROR_DETAILS)) {
          e.delete(n);
        }
      }
      return true;
    };
  }

  /** {@code dst=src}: moves the value of {@code src} (when present) to {@code dst}. */
  static void rename(Entry e, String dst, String src) {
    String v = e.get(src);
    if (v != null) {
      e.delete(src);
      e.set(dst, v);
    }
  }

  static Stage decolorize() {
    return new Stage() {
      @Override
      public boolean process(Entry e) {
        if (e.line.indexOf('\u001b') >= 0) {
          e.line = ANSI.matcher(e.line).replaceAll("");
        }
        return true;
      }

      @Override
      public boolean touchesLabels() {
        return false;
      }
    };
  }
}
