package io.fjord.logql.eval;

/**
 * {@code | unpack}: the string fields of the line's JSON object become labels, and the special
 * field {@code _entry} replaces the line (Promtail's {@code pack} format). Immutable, thread-safe.
 */
final class UnpackParser implements Stage {
  @Override
  public boolean process(Entry e) {
    Json.Node root;
    try {
      root = Json.parse(e.line);
    } catch (IllegalArgumentException ex) {
      e.setError(JsonParser.JSON_PARSER_ERR, JsonParser.NOT_AN_OBJECT);
      return true;
    }
    if (!(root instanceof Json.Obj obj)) {
      e.setError(JsonParser.JSON_PARSER_ERR, JsonParser.NOT_AN_OBJECT);
      return true;
    }
    e.beginParse();
    String entry = null;
    for (int i = 0; i < obj.keys().size(); i++) {
      if (obj.values().get(i) instanceof Json.Str s) {
        String key = obj.keys().get(i);
        if (key.equals("_entry")) {
          entry = s.value();
        } else {
          e.setParsed(LabelNames.sanitize(key), s.value());
        }
      }
    }
    if (entry != null) {
      e.line = entry;
    }
    return true;
  }
}
