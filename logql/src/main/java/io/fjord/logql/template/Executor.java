package io.fjord.logql.template;

import java.util.ArrayList;
import java.util.List;

/** Renders parsed template nodes against a {@link Template.Context}. Single-use, not thread-safe. */
final class Executor {
  private final String name;
  private final Template.Context ctx;

  Executor(String name, Template.Context ctx) {
    this.name = name;
    this.ctx = ctx;
  }

  void run(List<Template.Node> nodes, StringBuilder out) {
    for (Template.Node n : nodes) {
      if (n instanceof Template.Text t) {
        out.append(t.text());
      } else if (n instanceof Template.Action a) {
        out.append(Values.print(eval(a.pipeline(), a.line())));
      } else if (n instanceof Template.If f) {
        run(Values.truthy(eval(f.condition(), f.line())) ? f.then() : f.otherwise(), out);
      }
    }
  }

  private Object eval(Template.Pipeline p, int line) {
    Object piped = null;
    boolean hasPiped = false;
    for (Template.Command c : p.commands()) {
      piped = command(c, hasPiped, piped, line);
      hasPiped = true;
    }
    return piped;
  }

  private Object command(Template.Command c, boolean hasPiped, Object piped, int line) {
    Template.Arg first = c.args().get(0);
    if (first instanceof Template.Function f) {
      List<Object> args = new ArrayList<>();
      for (int i = 1; i < c.args().size(); i++) {
        args.add(operand(c.args().get(i), line));
      }
      if (hasPiped) {
        args.add(piped);
      }
      try {
        return Functions.call(f.name(), args, ctx);
      } catch (RuntimeException e) {
        throw new TemplateException("template: " + name + ":" + line + ": executing \"" + name
            + "\" at <" + f.name() + ">: error calling " + f.name() + ": " + e.getMessage());
      }
    }
    if (c.args().size() > 1 || hasPiped) {
      throw new TemplateException("template: " + name + ":" + line + ": can't give argument to non-function");
    }
    return operand(first, line);
  }

  private Object operand(Template.Arg a, int line) {
    if (a instanceof Template.Field f) {
      String v = ctx.label(f.name());
      return v == null ? "" : v;
    }
    if (a instanceof Template.Literal l) {
      return l.value();
    }
    if (a instanceof Template.Sub s) {
      return eval(s.pipeline(), line);
    }
    if (a instanceof Template.Function f) {
      return Functions.call(f.name(), List.of(), ctx);
    }
    return "map[]";
  }
}
