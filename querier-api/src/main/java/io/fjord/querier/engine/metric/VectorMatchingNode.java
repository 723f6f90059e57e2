package io.fjord.querier.engine.metric;

import io.fjord.logql.ast.BinaryOp;
import io.fjord.logql.ast.VectorMatching;
import io.fjord.logql.ast.VectorMatching.Cardinality;
import io.fjord.querier.engine.VectorSample;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A binary operation between two vectors, with Prometheus' vector matching as LogQL adopts it.
 * Samples match when their signatures are equal: the labels named by {@code on (...)}, or all
 * labels but those named by {@code ignoring (...)} (no clause: all labels).
 * <ul>
 *   <li>Set operators: {@code and} keeps the left samples that match a right one, {@code unless}
 *       those that match none, {@code or} keeps every left sample and the right ones that match
 *       none.</li>
 *   <li>Arithmetic and comparisons pair each sample of the "many" side with the matching sample of
 *       the "one" side (one-to-one by default; {@code group_left}: many on the left;
 *       {@code group_right}: many on the right). The result is labelled as the many-side sample,
 *       reduced to the {@code on} labels (or without the {@code ignoring} ones) for one-to-one
 *       matching, plus the {@code group_x (...)} labels copied from the one side. A comparison
 *       filters (keeping the left operand's value) or, with {@code bool}, gives 1 or 0.</li>
 * </ul>
 * A signature that is not unique on the one side, or a one-to-one match that is not unique, fails
 * the query with Prometheus' text. Single-threaded.
 */
final class VectorMatchingNode implements VectorNode {
  private final BinaryOp op;
  private final VectorNode lhs;
  private final VectorNode rhs;
  private final boolean returnBool;
  private final VectorMatching matching;
  private final Map<Labels, Labels> signatures = new HashMap<>();

  VectorMatchingNode(BinaryOp op, VectorNode lhs, VectorNode rhs, boolean returnBool, VectorMatching matching) {
    this.op = op;
    this.lhs = lhs;
    this.rhs = rhs;
    this.returnBool = returnBool;
    this.matching = matching;
  }

  @Override
  public List<VectorSample> next(long ts) {
    List<VectorSample> left = lhs.next(ts);
    List<VectorSample> right = rhs.next(ts);
    return switch (op) {
      case AND -> filter(left, signaturesOf(right), true);
      case UNLESS -> filter(left, signaturesOf(right), false);
      case OR -> or(left, right);
      default -> pair(left, right);
    };
  }

  private Labels signature(Labels labels) {
    return signatures.computeIfAbsent(labels, l -> {
      if (matching == null) {
        return l;
      }
      return matching.on() ? LabelSets.keep(l, matching.labels()) : LabelSets.drop(l, matching.labels());
    });
  }

  private Set<Labels> signaturesOf(List<VectorSample> samples) {
    Set<Labels> out = new HashSet<>();
    for (VectorSample s : samples) {
      out.add(signature(s.labels()));
    }
    return out;
  }

  private List<VectorSample> filter(List<VectorSample> left, Set<Labels> right, boolean keepMatching) {
    List<VectorSample> out = new ArrayList<>();
    for (VectorSample s : left) {
      if (right.contains(signature(s.labels())) == keepMatching) {
        out.add(s);
      }
    }
    return out;
  }

  private List<VectorSample> or(List<VectorSample> left, List<VectorSample> right) {
    List<VectorSample> out = new ArrayList<>(left);
    Set<Labels> leftSigs = signaturesOf(left);
    for (VectorSample s : right) {
      if (!leftSigs.contains(signature(s.labels()))) {
        out.add(s);
      }
    }
    return out;
  }

  private List<VectorSample> pair(List<VectorSample> left, List<VectorSample> right) {
    Cardinality card = matching == null ? Cardinality.ONE_TO_ONE : matching.cardinality();
    boolean swapped = card == Cardinality.ONE_TO_MANY;
    List<VectorSample> many = swapped ? right : left;
    List<VectorSample> one = swapped ? left : right;

    Map<Labels, VectorSample> oneBySignature = new HashMap<>();
    for (VectorSample s : one) {
      VectorSample previous = oneBySignature.put(signature(s.labels()), s);
      if (previous != null) {
        throw new EvaluationException("found duplicate series for the match group " + signature(s.labels())
            + " on the " + (swapped ? "left" : "right") + " hand-side of the operation: [" + previous.labels() + ", "
            + s.labels() + "];many-to-many matching not allowed: matching labels must be unique on one side");
      }
    }
    Set<Labels> matched = new HashSet<>();
    Set<Labels> produced = new HashSet<>();
    List<VectorSample> out = new ArrayList<>();
    for (VectorSample s : many) {
      Labels sig = signature(s.labels());
      VectorSample partner = oneBySignature.get(sig);
      if (partner == null) {
        continue;
      }
      if (card == Cardinality.ONE_TO_ONE && !matched.add(sig)) {
        throw new EvaluationException(
            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
      }
      double l = swapped ? partner.value() : s.value();
      double r = swapped ? s.value() : partner.value();
      double value;
      if (op.isComparison()) {
        boolean holds = Arithmetic.compare(op, l, r);
        if (!returnBool && !holds) {
          continue;
        }
        value = returnBool ? (holds ? 1 : 0) : l;
      } else {
        value = Arithmetic.apply(op, l, r);
      }
      Labels labels = resultLabels(s.labels(), partner.labels(), card);
      if (card != Cardinality.ONE_TO_ONE && !produced.add(labels)) {
        throw new EvaluationException("multiple matches for labels: grouping labels must ensure unique matches");
      }
      out.add(new VectorSample(labels, value));
    }
    return out;
  }

  private Labels resultLabels(Labels many, Labels one, Cardinality card) {
    Labels out = many;
    if (matching == null) {
      return out;
    }
    if (card == Cardinality.ONE_TO_ONE) {
      out = matching.on() ? LabelSets.keep(out, matching.labels()) : LabelSets.drop(out, matching.labels());
    }
    for (String name : matching.include()) {
      String v = one.get(name);
      out = LabelSets.with(out, name, v == null ? "" : v);
    }
    return out;
  }
}
