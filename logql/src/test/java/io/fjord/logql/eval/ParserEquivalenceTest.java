package io.fjord.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.LogQL;
import io.fjord.logql.ast.LogfmtParserStage;
import io.fjord.schemas.labels.Labels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass parsers give the labels of the plain ones on random lines, malformed ones included:
 * {@code | json} against a flattening of {@link Json}'s tree written here, {@code | logfmt} (every
 * flag combination) against {@link LogfmtReference}, the parser as it was.
 */
class ParserEquivalenceTest {
  /** "level" collides with a parsed key, so the parsers must rename it {@code level_extracted}. */
  private static final Labels STREAM = Labels.of("app", "bench", "level", "stream");
  private static final String[] KEYS = {"level", "msg", "a", "a_b", "status", "1x", "dots.in.key", "", "é", "app",
      "k\\\"q", "k\\u0041", "level"};
  private static final String[] SCALARS = {"\"info\"", "\"with \\\"quote\\\"\"", "\"tab\\t\\u00e9\"", "12", "-0.5e3",
      "true", "false", "null", "\"\"", "[1,{\"x\":2}]", "[]", "{}", "\"a/b\\/c\""};

  private static String jsonValue(Random r, int depth) {
    if (depth < 2 && r.nextInt(5) == 0) {
      return jsonObject(r, depth + 1);
    }
    return SCALARS[r.nextInt(SCALARS.length)];
  }

  private static String jsonObject(Random r, int depth) {
    StringBuilder b = new StringBuilder(r.nextInt(4) == 0 ? " {" : "{");
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(r.nextInt(3) == 0 ? " , " : ",");
      }
      b.append('"').append(KEYS[r.nextInt(KEYS.length)]).append("\":").append(jsonValue(r, depth));
    }
    return b.append('}').toString();
  }

  private static String corrupt(Random r, String s) {
    return switch (r.nextInt(6)) {
      case 0 -> s.isEmpty() ? s : s.substring(0, r.nextInt(s.length()));
      case 1 -> s + "x";
      case 2 -> s.isEmpty() ? "[" : s.substring(0, s.length() / 2) + "\"" + s.substring(s.length() / 2);
      case 3 -> "[" + s + "]";
      default -> s;
    };
  }

  /** What {@code | json} gives, read off {@link Json}'s tree (first value of a name wins). */
  private static Labels expectedJson(String line) {
    Map<String, String> parsed = new LinkedHashMap<>();
    Json.Node root;
    try {
      root = Json.parse(line);
    } catch (IllegalArgumentException e) {
      root = null;
    }
    if (!(root instanceof Json.Obj obj)) {
      return STREAM.merge(Labels.of("__error__", "JSONParserErr", "__error_details__", JsonParser.NOT_AN_OBJECT));
    }
    flatten(obj, "", parsed);
    return STREAM.merge(Labels.of(parsed));
  }

  private static void flatten(Json.Obj obj, String prefix, Map<String, String> out) {
    for (int i = 0; i < obj.keys().size(); i++) {
      String key = prefix + obj.keys().get(i);
      Json.Node v = obj.values().get(i);
      String value = v instanceof Json.Str s ? s.value() : v instanceof Json.Raw raw ? raw.text() : null;
      if (v instanceof Json.Obj child) {
        flatten(child, key + "_", out);
      } else if (value != null && !key.isEmpty()) {
        String name = LabelNames.sanitize(key);
        out.putIfAbsent(STREAM.get(name) != null ? name + "_extracted" : name, value);
      }
    }
  }

  @Test
  void jsonGivesTheLabelsOfTheTree() {
    Random r = new Random(11);
    StreamPipeline p = LogPipeline.of(LogQL.parseSelector("{app=\"bench\"} | json")).forStream(STREAM);
    int errors = 0;
    for (int i = 0; i < 20_000; i++) {
      String line = corrupt(r, jsonObject(r, 0));
      Labels expected = expectedJson(line);
      assertThat(p.process(i, line, Labels.EMPTY)).as("[%s]", line).isEqualTo(new LogLine(line, expected));
      errors += expected.get("__error__") != null ? 1 : 0;
    }
    assertThat(errors).as("malformed lines").isBetween(2_000, 18_000);
  }

  private static final String[] LOGFMT_PARTS = {"level=info", "level=", "msg=\"a b\"", "msg=\"esc \\\" q\"",
      "msg=\"\\u00e9\\n\"", "msg=\"open", "a=b=c", "x\"y=1", "=v", "k", "é=ü", "app=x", "1a=2", "dots.k=v",
      "status=503", "  ", "\t", "q=\"\"", "k=\"t\\x\""};

  @Test
  void logfmtGivesTheLabelsOfTheReferenceParser() {
    Random r = new Random(5);
    String[] stages = {"| logfmt", "| logfmt --strict", "| logfmt --keep-empty", "| logfmt --strict --keep-empty",
        "| logfmt lvl=\"level\", msg", "| logfmt --keep-empty status, k"};
    for (String stage : stages) {
      LogfmtParserStage ast = (LogfmtParserStage) LogQL.parseSelector("{app=\"bench\"} " + stage).pipeline().get(0);
      LogfmtParser fast = new LogfmtParser(ast);
      LogfmtReference slow = new LogfmtReference(ast);
      Entry a = new Entry(STREAM);
      Entry b = new Entry(STREAM);
      for (int i = 0; i < 5_000; i++) {
        StringBuilder line = new StringBuilder();
        int n = r.nextInt(6);
        for (int k = 0; k < n; k++) {
          line.append(LOGFMT_PARTS[r.nextInt(LOGFMT_PARTS.length)]).append(r.nextInt(4) == 0 ? "" : " ");
        }
        a.reset(i, line.toString(), Labels.EMPTY);
        b.reset(i, line.toString(), Labels.EMPTY);
        assertThat(fast.process(a)).isEqualTo(slow.process(b));
        assertThat(a.labels()).as("%s on [%s]", stage, line).isEqualTo(b.labels());
      }
    }
  }
}
