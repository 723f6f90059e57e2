package io.fjord.logql.eval;

import io.fjord.logql.ast.JsonParserStage;
import io.fjord.logql.ast.LabelExtraction;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code | json}: without parameters, every field of the line's JSON object becomes a label,
 * nested objects flattened with {@code _}, arrays and nulls skipped, keys sanitized; with
 * parameters, each JSON path ({@code a.b}, {@code l[0]}, {@code ["x.y"]}) is extracted (objects
 * and arrays as JSON text, a missing path as ""). A line that is not a JSON object keeps flowing
 * with {@code __error__="JSONParserErr"}. Without parameters the line is read in one pass
 * ({@link JsonFlattener}); with them, as a tree ({@link Json}). Immutable and thread-safe.
 */
final class JsonParser implements Stage {
  static final String JSON_PARSER_ERR = "JSONParserErr";
  static final String NOT_AN_OBJECT = "Value looks like object, but can't find closing '}' symbol";

  /** One compiled path step: an object key, or an array index when {@code key} is null. */
  record Step(String key, int index) {}

  private final List<String> labels = new ArrayList<>();
  private final List<List<Step>> paths = new ArrayList<>();

  JsonParser(JsonParserStage stage) {
    for (LabelExtraction x : stage.extractions()) {
      labels.add(x.label());
      paths.add(parsePath(x.expression()));
    }
  }

  @Override
  public boolean process(Entry e) {
    if (paths.isEmpty()) {
      if (!JsonFlattener.flatten(e)) {
        e.setError(JSON_PARSER_ERR, NOT_AN_OBJECT);
      }
      return true;
    }
    Json.Node root;
    try {
      root = Json.parse(e.line);
    } catch (IllegalArgumentException ex) {
      e.setError(JSON_PARSER_ERR, NOT_AN_OBJECT);
      return true;
    }
    if (!(root instanceof Json.Obj obj)) {
      e.setError(JSON_PARSER_ERR, NOT_AN_OBJECT);
      return true;
    }
    e.beginParse();
    for (int i = 0; i < paths.size(); i++) {
      Json.Node n = resolve(obj, paths.get(i));
      e.setParsed(labels.get(i), n == null ? "" : text(n, e.line));
    }
    return true;
  }

  private static Json.Node resolve(Json.Node root, List<Step> path) {
    Json.Node cur = root;
    for (Step s : path) {
      if (s.key() != null && cur instanceof Json.Obj o) {
        cur = o.get(s.key());
      } else if (s.key() == null && cur instanceof Json.Arr a && s.index() < a.items().size()) {
        cur = a.items().get(s.index());
      } else {
        return null;
      }
      if (cur == null) {
        return null;
      }
    }
    return cur;
  }

  private static String text(Json.Node n, String line) {
    if (n instanceof Json.Str s) {
      return s.value();
    }
    if (n instanceof Json.Raw r) {
      return r.text();
    }
    if (n instanceof Json.Obj o) {
      return line.substring(o.start(), o.end());
    }
    if (n instanceof Json.Arr a) {
      return line.substring(a.start(), a.end());
    }
    return "";
  }

  /** Parses {@code a.b[0]["c.d"]}; throws {@link IllegalArgumentException} when malformed. */
  static List<Step> parsePath(String expr) {
    List<Step> steps = new ArrayList<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '.') {
        i++;
        continue;
      }
      if (c == '[') {
        int close = expr.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("invalid JSON path: " + expr);
        }
        String inner = expr.substring(i + 1, close).trim();
        if (inner.length() >= 2 && (inner.startsWith("\"") && inner.endsWith("\"")
            || inner.startsWith("'") && inner.endsWith("'"))) {
          steps.add(new Step(inner.substring(1, inner.length() - 1), -1));
        } else {
          try {
            steps.add(new Step(null, Integer.parseInt(inner)));
          } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("invalid JSON path: " + expr);
          }
        }
        i = close + 1;
        continue;
      }
      int start = i;
      while (i < n && expr.charAt(i) != '.' && expr.charAt(i) != '[') {
        i++;
      }
      steps.add(new Step(expr.substring(start, i), -1));
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("invalid JSON path: " + expr);
    }
    return steps;
  }
}
