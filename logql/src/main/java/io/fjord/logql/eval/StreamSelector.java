package io.fjord.logql.eval;

import io.fjord.logql.ast.LabelMatcher;
import io.fjord.schemas.labels.Labels;
import java.util.List;

/**
 * A compiled stream selector: every matcher must match the stream's labels, a missing label
 * matching as the empty string. Regexes are fully anchored RE2 (see {@link io.fjord.logql.regex.Re2}).
 * Immutable and thread-safe: compile once per query, share between threads.
 */
public final class StreamSelector {
  private final List<LabelMatcher> matchers;
  private final String[] names;
  private final StringMatcher[] compiled;

  private StreamSelector(List<LabelMatcher> matchers) {
    this.matchers = List.copyOf(matchers);
    this.names = new String[matchers.size()];
    this.compiled = new StringMatcher[matchers.size()];
    for (int i = 0; i < matchers.size(); i++) {
      LabelMatcher m = matchers.get(i);
      names[i] = m.name();
      compiled[i] = StringMatcher.of(m.type(), m.value());
    }
  }

  /** Compiles the matchers; throws {@link IllegalArgumentException} for an invalid regex. */
  public static StreamSelector of(List<LabelMatcher> matchers) {
    return new StreamSelector(matchers);
  }

  public boolean matches(Labels streamLabels) {
    for (int i = 0; i < names.length; i++) {
      String v = streamLabels.get(names[i]);
      if (!compiled[i].matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }

  public List<LabelMatcher> matchers() {
    return matchers;
  }
}
