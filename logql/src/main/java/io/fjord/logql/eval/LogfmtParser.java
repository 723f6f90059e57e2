package io.fjord.logql.eval;

import io.fjord.logql.ast.LabelExtraction;
import io.fjord.logql.ast.LogfmtParserStage;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code | logfmt}: {@code key=value key="quoted value" standalone} pairs become labels (keys
 * sanitized). Without {@code --strict} a malformed pair is skipped; with it the parser stops and
 * sets {@code __error__="LogfmtParserErr"}. Empty values and standalone keys are dropped unless
 * {@code --keep-empty} or the key was asked for by name ({@code | logfmt a, b="key"}).
 * Immutable and thread-safe.
 */
final class LogfmtParser implements Stage {
  static final String LOGFMT_PARSER_ERR = "LogfmtParserErr";

  private final boolean strict;
  private final boolean keepEmpty;
  /** Requested logfmt key to label name; empty for "extract everything". */
  private final Map<String, String> wanted = new HashMap<>();

  LogfmtParser(LogfmtParserStage stage) {
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
      int keyEnd = i;
      if (i < n && s.charAt(i) == '"' || keyEnd == keyStart) {
        if (strict) {
          return fail(e, i, keyEnd == keyStart ? "unexpected '='" : "unexpected '\"'");
        }
        i = skipToSpace(s, i);
        continue;
      }
      String value = "";
      if (i < n && s.charAt(i) == '=') {
        i++;
        if (i < n && s.charAt(i) == '"') {
          int close = plainQuoteEnd(s, i);
          int[] end = new int[1];
          if (close > 0) {
            value = s.substring(i + 1, close);
            end[0] = close + 1;
          } else {
            value = quoted(s, i, end);
          }
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
      emit(e, s, keyStart, keyEnd, value);
    }
    return true;
  }

  private void emit(Entry e, String s, int keyStart, int keyEnd, String value) {
    if (!wanted.isEmpty()) {
      String label = wanted.get(s.substring(keyStart, keyEnd));
      if (label != null) {
        e.setParsed(label, value);
      }
      return;
    }
    if (value.isEmpty() && !keepEmpty) {
      return;
    }
    e.setParsedName(e.parsedKeys().name(e, "", s, keyStart, keyEnd), value);
  }

  /**
   * The index of the quote closing the quoted value at {@code start} when the value holds no
   * backslash (so it is the text between the quotes); -1 otherwise.
   */
  private static int plainQuoteEnd(String s, int start) {
    for (int i = start + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '\\') {
        return -1;
      }
    }
    return -1;
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
