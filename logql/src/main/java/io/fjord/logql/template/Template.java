package io.fjord.logql.template;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed Go text/template, the subset LogQL's {@code line_format} and {@code label_format}
 * use: text, {@code {{ pipeline }}} actions with {@code -} trim markers, {@code .label} fields,
 * string/number/bool literals, parenthesised pipelines, {@code |} chaining (the previous value is
 * the last argument), {@code if}/{@code else if}/{@code else}/{@code end} and comments.
 * {@code range}, {@code with} and variables are not supported. Functions are checked at parse
 * time ({@code template: line:1: function "quote" not defined}). Immutable and thread-safe.
 */
public final class Template {
  private final String name;
  private final List<Node> nodes;

  private Template(String name, List<Node> nodes) {
    this.name = name;
    this.nodes = nodes;
  }

  /** The data a template sees: labels by name, the line and the timestamp. */
  public interface Context {
    /** The label's value, or null when absent (renders as ""). */
    String label(String name);

    String line();

    long timestampNanos();
  }

  /** Parses {@code text}; {@code name} is used in error messages ({@code line}, {@code label}). */
  public static Template parse(String name, String text) {
    return new Template(name, new TemplateParser(name, text).parse());
  }

  /** Renders; throws {@link TemplateException} on an execution error (Go's message). */
  public String render(Context ctx) {
    StringBuilder sb = new StringBuilder();
    new Executor(name, ctx).run(nodes, sb);
    return sb.toString();
  }

  /** A node of the parsed template. */
  sealed interface Node permits Text, Action, If {}

  record Text(String text) implements Node {}

  record Action(Pipeline pipeline, int line) implements Node {}

  record If(Pipeline condition, List<Node> then, List<Node> otherwise, int line) implements Node {}

  /** Commands chained with {@code |}. */
  record Pipeline(List<Command> commands) {}

  /** A function call with arguments, or a single operand. */
  record Command(List<Arg> args) {}

  /** An operand. */
  sealed interface Arg permits Field, Dot, Literal, Function, Sub {}

  record Field(String name) implements Arg {}

  record Dot() implements Arg {}

  record Literal(Object value) implements Arg {}

  record Function(String name) implements Arg {}

  record Sub(Pipeline pipeline) implements Arg {}

  static List<Node> list() {
    return new ArrayList<>();
  }
}
