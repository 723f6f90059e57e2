package io.fjord.logql.eval;

import io.fjord.logql.regex.Re2;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code | regexp "(?P<name>re)"}: on the first (unanchored) match, each named group becomes a
 * label (a group that did not take part gives ""). A line that does not match is left unchanged.
 * Immutable and thread-safe.
 */
final class RegexpParser implements Stage {
  private final Pattern pattern;
  private final List<String> names;

  RegexpParser(String regex) {
    Re2.Compiled c = Re2.compile(regex);
    if (!c.hasNamedGroups()) {
      throw new IllegalArgumentException("at least one named capture must be supplied");
    }
    this.pattern = c.pattern();
    this.names = c.groupNames();
  }

  @Override
  public boolean process(Entry e) {
    Matcher m = pattern.matcher(e.line);
    if (!m.find()) {
      return true;
    }
    e.beginParse();
    for (int g = 0; g < names.size(); g++) {
      String name = names.get(g);
      if (name != null) {
        String v = m.group(g + 1);
        e.setParsed(name, v == null ? "" : v);
      }
    }
    return true;
  }
}
