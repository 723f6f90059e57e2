package io.fjord.logql.eval;

import io.fjord.logql.ast.LabelFormatStage;
import io.fjord.logql.template.Template;
import io.fjord.logql.template.TemplateException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code line_format} and {@code label_format}: templates are parsed once here (a parse error is
 * a query error, {@code invalid line template: ...}); a rendering error keeps the entry unchanged
 * with {@code __error__="TemplateFormatErr"}. Stateless factory; the stages are immutable and
 * thread-safe.
 */
final class Formatters {
  static final String TEMPLATE_FORMAT_ERR = "TemplateFormatErr";

  private Formatters() {}

  /** Exposes an {@link Entry} to a template. */
  private record EntryContext(Entry e) implements Template.Context {
    @Override
    public String label(String name) {
      return e.get(name);
    }

    @Override
    public String line() {
      return e.line;
    }

    @Override
    public long timestampNanos() {
      return e.timestamp;
    }
  }

  static Stage lineFormat(String text) {
    Template t = parse("line", text);
    return new Stage() {
      @Override
      public boolean process(Entry e) {
        try {
          e.line = t.render(new EntryContext(e));
        } catch (TemplateException | IllegalArgumentException ex) {
          e.setError(TEMPLATE_FORMAT_ERR, ex.getMessage());
        }
        return true;
      }

      @Override
      public boolean touchesLabels() {
        return false;
      }
    };
  }

  /** One compiled rule: a rename ({@code template} null) or a template. */
  private record Rule(String destination, String source, Template template) {}

  static Stage labelFormat(LabelFormatStage stage) {
    List<Rule> rules = new ArrayList<>();
    for (LabelFormatStage.Rule r : stage.rules()) {
      rules.add(new Rule(r.destination(), r.source(), r.template() ? parse("label", r.source()) : null));
    }
    return e -> {
      EntryContext ctx = new EntryContext(e);
      List<String[]> results = new ArrayList<>(rules.size());
      for (Rule r : rules) {
        if (r.template() == null) {
          continue;
        }
        try {
          results.add(new String[] {r.destination(), r.template().render(ctx)});
        } catch (TemplateException | IllegalArgumentException ex) {
          e.setError(TEMPLATE_FORMAT_ERR, ex.getMessage());
        }
      }
      for (Rule r : rules) {
        if (r.template() == null) {
          LabelStages.rename(e, r.destination(), r.source());
        }
      }
      for (String[] kv : results) {
        e.set(kv[0], kv[1]);
      }
      return true;
    };
  }

  private static Template parse(String kind, String text) {
    try {
      return Template.parse(kind, text);
    } catch (TemplateException ex) {
      throw new IllegalArgumentException("invalid " + kind + " template: " + ex.getMessage(), ex);
    }
  }
}
