package io.fjord.logql.template;

import java.util.ArrayList;
import java.util.List;

/** Parses Go text/template text into {@link Template} nodes. Single-use, not thread-safe. */
final class TemplateParser {
  /** A piece of the source: text, or the inside of an action with the line it starts on. */
  private record Item(boolean action, String text, int line) {}

  private final String name;
  private final String src;
  private final List<Item> items = new ArrayList<>();
  private int next;

  TemplateParser(String name, String src) {
    this.name = name;
    this.src = src;
  }

  List<Template.Node> parse() {
    split();
    List<Template.Node> nodes = new ArrayList<>();
    String end = block(nodes);
    if (end != null) {
      throw error(items.get(next - 1).line(), "unexpected {{" + end + "}}");
    }
    return nodes;
  }

  private TemplateException error(int line, String msg) {
    return new TemplateException("template: " + name + ":" + line + ": " + msg);
  }

  /** Splits the source into text and actions, applying the {@code {{-} and {@code -}}} trims. */
  private void split() {
    int pos = 0;
    int line = 1;
    boolean trimNext = false;
    while (pos <= src.length()) {
      int open = src.indexOf("{{", pos);
      String text = open < 0 ? src.substring(pos) : src.substring(pos, open);
      if (trimNext) {
        text = text.stripLeading();
      }
      if (open < 0) {
        if (!text.isEmpty()) {
          items.add(new Item(false, text, line));
        }
        return;
      }
      line += count(src.substring(pos, open));
      int start = open + 2;
      boolean trimPrev = src.startsWith("- ", start) || src.startsWith("-\t", start) || src.startsWith("-\n", start);
      if (trimPrev) {
        text = text.stripTrailing();
        start += 1;
      }
      if (!text.isEmpty()) {
        items.add(new Item(false, text, line));
      }
      int close = findClose(start);
      if (close < 0) {
        throw error(line, "unclosed action");
      }
      int contentEnd = close;
      trimNext = false;
      if (close - 1 >= start && src.charAt(close - 1) == '-' && close - 2 >= start
          && Character.isWhitespace(src.charAt(close - 2))) {
        trimNext = true;
        contentEnd = close - 1;
      }
      String content = src.substring(start, contentEnd).trim();
      if (!(content.startsWith("/*") && content.endsWith("*/"))) {
        items.add(new Item(true, content, line));
      }
      line += count(src.substring(open, close + 2));
      pos = close + 2;
    }
  }

  /** The index of the {@code }}} closing the action starting at {@code start}, skipping strings. */
  private int findClose(int start) {
    int i = start;
    while (i < src.length() - 1) {
      char c = src.charAt(i);
      if (c == '"' || c == '`' || c == '\'') {
        int j = i + 1;
        while (j < src.length() && src.charAt(j) != c) {
          if (c != '`' && src.charAt(j) == '\\') {
            j++;
          }
          j++;
        }
        i = j + 1;
        continue;
      }
      if (c == '}' && src.charAt(i + 1) == '}') {
        return i;
      }
      i++;
    }
    return -1;
  }

  private static int count(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /** Parses nodes until {@code {{end}}} or {@code {{else...}}}, returning that keyword (null at EOF). */
  private String block(List<Template.Node> out) {
    while (next < items.size()) {
      Item it = items.get(next++);
      if (!it.action()) {
        out.add(new Template.Text(it.text()));
        continue;
      }
      String c = it.text();
      if (c.equals("end") || c.equals("else") || c.startsWith("else ")) {
        return c;
      }
      if (c.startsWith("if ") || c.equals("if")) {
        out.add(ifNode(c.substring(2).trim(), it.line()));
        continue;
      }
      String word = c.split("[\\s(]", 2)[0];
      if (word.equals("range") || word.equals("with") || word.equals("define") || word.equals("template")
          || word.equals("block") || word.startsWith("$")) {
        throw error(it.line(), "unsupported action \"" + word + "\"");
      }
      out.add(new Template.Action(new ActionParser(c, it.line()).pipeline(), it.line()));
    }
    return null;
  }

  private Template.If ifNode(String condition, int line) {
    if (condition.isEmpty()) {
      throw error(line, "missing value for if");
    }
    Template.Pipeline cond = new ActionParser(condition, line).pipeline();
    List<Template.Node> then = new ArrayList<>();
    String end = block(then);
    List<Template.Node> otherwise = new ArrayList<>();
    if (end == null) {
      throw error(line, "unexpected EOF");
    }
    if (end.startsWith("else if ")) {
      otherwise.add(ifNode(end.substring("else if ".length()).trim(), line));
    } else if (end.equals("else")) {
      String close = block(otherwise);
      if (close == null || !close.equals("end")) {
        throw error(line, close == null ? "unexpected EOF" : "unexpected {{" + close + "}}");
      }
    } else if (!end.equals("end")) {
      throw error(line, "unexpected {{" + end + "}}");
    }
    return new Template.If(cond, then, otherwise, line);
  }

  /** Parses the inside of one action into a pipeline. */
  private final class ActionParser {
    private final String s;
    private final int line;
    private int i;

    ActionParser(String s, int line) {
      this.s = s;
      this.line = line;
    }

    Template.Pipeline pipeline() {
      Template.Pipeline p = pipelineUntil(false);
      if (i < s.length()) {
        throw error(line, "unexpected \"" + s.charAt(i) + "\" in command");
      }
      return p;
    }

    private Template.Pipeline pipelineUntil(boolean inParens) {
      List<Template.Command> commands = new ArrayList<>();
      List<Template.Arg> args = new ArrayList<>();
      while (true) {
        skipSpace();
        if (i >= s.length() || (inParens && s.charAt(i) == ')')) {
          break;
        }
        char c = s.charAt(i);
        if (c == '|') {
          if (args.isEmpty()) {
            throw error(line, "missing command");
          }
          commands.add(new Template.Command(args));
          args = new ArrayList<>();
          i++;
          continue;
        }
        if (c == ')') {
          throw error(line, "unexpected right paren");
        }
        args.add(arg());
      }
      if (args.isEmpty()) {
        throw error(line, commands.isEmpty() ? "missing value for command" : "missing command");
      }
      commands.add(new Template.Command(args));
      return new Template.Pipeline(commands);
    }

    private Template.Arg arg() {
      char c = s.charAt(i);
      if (c == '(') {
        i++;
        Template.Pipeline p = pipelineUntil(true);
        if (i >= s.length() || s.charAt(i) != ')') {
          throw error(line, "unclosed left paren");
        }
        i++;
        return new Template.Sub(p);
      }
      if (c == '"' || c == '`') {
        return new Template.Literal(string(c));
      }
      if (c == '.') {
        int start = ++i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        return start == i ? new Template.Dot() : new Template.Field(s.substring(start, i));
      }
      if (Character.isDigit(c) || ((c == '-' || c == '+') && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
        int start = i++;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.'
            || ((s.charAt(i) == '-' || s.charAt(i) == '+') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
          i++;
        }
        return new Template.Literal(number(s.substring(start, i)));
      }
      if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        String word = s.substring(start, i);
        switch (word) {
          case "true": return new Template.Literal(Boolean.TRUE);
          case "false": return new Template.Literal(Boolean.FALSE);
          case "nil": return new Template.Literal(null);
          default:
            if (!Functions.exists(word)) {
              throw error(line, "function \"" + word + "\" not defined");
            }
            return new Template.Function(word);
        }
      }
      throw error(line, "unexpected \"" + c + "\" in command");
    }

    private Object number(String t) {
      try {
        if (t.startsWith("0x") || t.startsWith("0X")) {
          return Long.parseLong(t.substring(2), 16);
        }
        if (t.matches("[-+]?[0-9]+")) {
          return Long.parseLong(t);
        }
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw error(line, "bad number syntax: \"" + t + "\"");
      }
    }

    private String string(char quote) {
      StringBuilder sb = new StringBuilder();
      i++;
      while (i < s.length() && s.charAt(i) != quote) {
        char c = s.charAt(i);
        if (quote == '"' && c == '\\' && i + 1 < s.length()) {
          char e = s.charAt(i + 1);
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case '\\' -> sb.append('\\');
            case '"' -> sb.append('"');
            default -> sb.append('\\').append(e);
          }
          i += 2;
          continue;
        }
        sb.append(c);
        i++;
      }
      if (i >= s.length()) {
        throw error(line, "unterminated quoted string");
      }
      i++;
      return sb.toString();
    }

    private void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }
}
