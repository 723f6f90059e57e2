package io.fjord.logql.eval;

import io.fjord.logql.ast.LabelExtraction;
import io.fjord.logql.ast.LogfmtParserStage;
import java.util.HashMap;
import java.util.Map;

/**
 * The logfmt parser as it was before it read keys through {@link ParsedKeys} and quoted values
 * without a builder: the oracle of {@link ParserEquivalenceTest}. {@code | logfmt}: {@code key=value key="quoted value" standalone} pairs become labels (keys
 * sanitized). Without {@code --strict} a malformed pair is skipped; with it the parser stops and
 * sets {@code __error__="LogfmtParserErr"}. Empty values and standalone keys are dropped unless
 * {@code --keep-empty} or the key was asked for by name ({@code | logfmt a, b="key"}).
 * Immutable and thread-safe.
 */
final class LogfmtReference implements Stage {
  static final String LOGFMT_PARSER_ERR = LogfmtParser.LOGFMT_PARSER_ERR;

  private final boolean strict;
  private final boolean keepEmpty;
  /** Requested logfmt key to label name; empty for "extract everything". */
  private final Map<String, String> wanted = new HashMap<>();

  LogfmtReference(LogfmtParserStage stage) {
    this.strict = stage.strict();
    this.keepEmpty = stage.keepEmpty();
    for (LabelExtraction x : stage.extractions()) {
      wanted.put(x.expression(), x.label());
    }
  }

  @Override
  public boolean process(Entry e) {
    e.beginParse();
    String s = e.line;
    int n = s.length();
    int i = 0;
    while (i < n) {
      while (i < n && s.charAt(i) <= ' ') {
        i++;
      }
      if (i >= n) {
        break;
      }
      int keyStart = i;
      while (i < n && s.charAt(i) > ' ' && s.charAt(i) != '=' && s.charAt(i) != '"') {
        i++;
      }
      String key = s.substring(keyStart, i);
      if (i < n && s.charAt(i) == '"' || key.isEmpty()) {
        if (strict) {
          return fail(e, i, key.isEmpty() ? "unexpected '='" : "unexpected '\"'");
        }
        i = skipToSpace(s, i);
        continue;
      }
      String value = "";
      boolean hasValue = false;
      if (i < n && s.charAt(i) == '=') {
        hasValue = true;
        i++;
        if (i < n && s.charAt(i) == '"') {
          int[] end = new int[1];
          value = quoted(s, i, end);
          if (value == null) {
            if (strict) {
              return fail(e, i, "unterminated quoted value");
            }
            i = n;
            continue;
          }
          i = end[0];
        } else {
          int vs = i;
          while (i < n && s.charAt(i) > ' ') {
            char c = s.charAt(i);
            if (c == '=' || c == '"') {
              break;
            }
            i++;
          }
          if (i < n && s.charAt(i) > ' ') {
            if (strict) {
              return fail(e, i, "unexpected '" + s.charAt(i) + "'");
            }
            i = skipToSpace(s, i);
            continue;
          }
          value = s.substring(vs, i);
        }
      }
      emit(e, key, value, hasValue);
    }
    return true;
  }

  private void emit(Entry e, String key, String value, boolean hasValue) {
    if (!wanted.isEmpty()) {
      String label = wanted.get(key);
      if (label != null) {
        e.setParsed(label, value);
      }
      return;
    }
    if (value.isEmpty() && !keepEmpty) {
      return;
    }
    e.setParsed(LabelNames.sanitize(key), value);
  }

  private static boolean fail(Entry e, int pos, String why) {
    e.setError(LOGFMT_PARSER_ERR, "logfmt syntax error at pos " + (pos + 1) + " : " + why);
    return true;
  }

  private static int skipToSpace(String s, int i) {
    while (i < s.length() && s.charAt(i) > ' ') {
      i++;
    }
    return i;
  }

  /** Decodes the quoted value starting at {@code start} ('"'); null when unterminated. */
  private static String quoted(String s, int start, int[] end) {
    StringBuilder sb = new StringBuilder();
    int i = start + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        end[0] = i + 1;
        return sb.toString();
      }
      if (c == '\\' && i + 1 < s.length()) {
        char x = s.charAt(i + 1);
        switch (x) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'u' -> {
            if (i + 6 <= s.length()) {
              try {
                sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 6;
                continue;
              } catch (NumberFormatException ex) {
                sb.append("\\u");
              }
            } else {
              sb.append("\\u");
            }
          }
          default -> sb.append(x);
        }
        i += 2;
        continue;
      }
      sb.append(c);
      i++;
    }
    return null;
  }
}
