package io.fjord.querier.engine.metric;

import io.fjord.logql.ast.LabelReplaceExpr;
import io.fjord.logql.regex.Re2;
import io.fjord.querier.engine.VectorSample;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code label_replace(v, "dst", "replacement", "src", "regex")}: for each sample whose {@code src}
 * value (empty when absent) matches the fully anchored RE2 regex, {@code dst} is set to the
 * replacement with Go's {@code $1}/{@code ${1}}/{@code $name}/{@code ${name}} references expanded
 * ({@code $$} is a dollar; the label is removed when the result is empty). Other samples pass
 * unchanged. Two samples ending with the same labels fail the query, as in Prometheus.
 * Single-threaded.
 */
final class LabelReplaceNode implements VectorNode {
  private final VectorNode inner;
  private final String destination;
  private final String replacement;
  private final String source;
  private final Pattern regex;
  private final List<String> groupNames;

  LabelReplaceNode(LabelReplaceExpr expr, VectorNode inner) {
    this.inner = inner;
    this.destination = expr.destination();
    this.replacement = expr.replacement();
    this.source = expr.source();
    Re2.Compiled compiled = Re2.compile("^(?:" + expr.regex() + ")$");
    this.regex = compiled.pattern();
    this.groupNames = compiled.groupNames();
  }

  @Override
  public List<VectorSample> next(long ts) {
    List<VectorSample> in = inner.next(ts);
    List<VectorSample> out = new ArrayList<>(in.size());
    Set<Labels> seen = new HashSet<>();
    for (VectorSample s : in) {
      VectorSample replaced = replace(s);
      if (!seen.add(replaced.labels())) {
        throw new EvaluationException("vector cannot contain metrics with the same labelset");
      }
      out.add(replaced);
    }
    return out;
  }

  private VectorSample replace(VectorSample s) {
    String value = s.labels().get(source);
    Matcher m = regex.matcher(value == null ? "" : value);
    if (!m.matches()) {
      return s;
    }
    return new VectorSample(LabelSets.with(s.labels(), destination, expand(m)), s.value());
  }

  /** Go's {@code Regexp.Expand} of the replacement template for match {@code m}. */
  String expand(Matcher m) {
    StringBuilder out = new StringBuilder();
    String t = replacement;
    int i = 0;
    while (i < t.length()) {
      char c = t.charAt(i);
      if (c != '$' || i + 1 >= t.length()) {
        out.append(c);
        i++;
        continue;
      }
      if (t.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      boolean braced = t.charAt(i + 1) == '{';
      int start = i + (braced ? 2 : 1);
      int end = start;
      while (end < t.length() && isNameChar(t.charAt(end))) {
        end++;
      }
      if (end == start || (braced && (end >= t.length() || t.charAt(end) != '}'))) {
        out.append('$'); // malformed reference: the dollar is plain text
        i++;
        continue;
      }
      out.append(group(m, t.substring(start, end)));
      i = braced ? end + 1 : end;
    }
    return out.toString();
  }

  private String group(Matcher m, String name) {
    int index = -1;
    if (name.chars().allMatch(Character::isDigit)) {
      try {
        index = Integer.parseInt(name);
      } catch (NumberFormatException e) {
        return "";
      }
    } else {
      int named = groupNames.indexOf(name);
      index = named < 0 ? -1 : named + 1;
    }
    if (index < 0 || index > m.groupCount()) {
      return "";
    }
    String g = m.group(index);
    return g == null ? "" : g;
  }

  private static boolean isNameChar(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
