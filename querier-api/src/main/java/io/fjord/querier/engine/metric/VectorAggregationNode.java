package io.fjord.querier.engine.metric;

import io.fjord.logql.ast.Grouping;
import io.fjord.logql.ast.VectorOp;
import io.fjord.querier.engine.VectorSample;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A vector aggregation at each evaluation time, with Prometheus' semantics as Loki uses them:
 * samples are grouped by the labels {@code by (...)} keeps (or {@code without (...)} leaves; no
 * clause: one group with no labels), then
 * <ul>
 *   <li>{@code sum}, {@code avg} (incremental mean), {@code count}, {@code min}/{@code max} (a NaN
 *       gives way to any number), {@code stdvar}/{@code stddev} (population, Welford) give one
 *       sample per group, labelled with the group;</li>
 *   <li>{@code topk}/{@code bottomk} keep the k largest/smallest samples of each group with their
 *       own labels (NaN counts as the worst), largest/smallest first;</li>
 *   <li>{@code sort}/{@code sort_desc} keep every sample, ordered by value (NaN last).</li>
 * </ul>
 * Single-threaded.
 */
final class VectorAggregationNode implements VectorNode {
  private final VectorOp op;
  private final int k;
  private final Grouping grouping;
  private final VectorNode inner;
  private final Map<Labels, Labels> groupOf = new HashMap<>();

  VectorAggregationNode(VectorOp op, int k, Grouping grouping, VectorNode inner) {
    this.op = op;
    this.k = k;
    this.grouping = grouping;
    this.inner = inner;
  }

  @Override
  public List<VectorSample> next(long ts) {
    List<VectorSample> in = inner.next(ts);
    if (op == VectorOp.SORT || op == VectorOp.SORT_DESC) {
      return sorted(in, op == VectorOp.SORT_DESC);
    }
    Map<Labels, List<VectorSample>> groups = new LinkedHashMap<>();
    for (VectorSample s : in) {
      groups.computeIfAbsent(groupOf.computeIfAbsent(s.labels(), this::group), g -> new ArrayList<>()).add(s);
    }
    List<VectorSample> out = new ArrayList<>(op == VectorOp.TOPK || op == VectorOp.BOTTOMK ? in.size() : groups.size());
    for (Map.Entry<Labels, List<VectorSample>> g : groups.entrySet()) {
      switch (op) {
        case TOPK -> out.addAll(best(g.getValue(), true));
        case BOTTOMK -> out.addAll(best(g.getValue(), false));
        default -> out.add(new VectorSample(g.getKey(), aggregate(g.getValue())));
      }
    }
    return out;
  }

  /** The labels of the group of a sample labelled {@code labels}. */
  private Labels group(Labels labels) {
    return LabelSets.group(labels, grouping);
  }

  private double aggregate(List<VectorSample> samples) {
    switch (op) {
      case SUM: {
        double sum = 0;
        for (VectorSample s : samples) {
          sum += s.value();
        }
        return sum;
      }
      case AVG: {
        double mean = 0;
        int count = 0;
        for (VectorSample s : samples) {
          count++;
          mean += (s.value() - mean) / count;
        }
        return mean;
      }
      case COUNT:
        return samples.size();
      case MIN: {
        double min = samples.get(0).value();
        for (VectorSample s : samples) {
          if (s.value() < min || Double.isNaN(min)) {
            min = s.value();
          }
        }
        return min;
      }
      case MAX: {
        double max = samples.get(0).value();
        for (VectorSample s : samples) {
          if (s.value() > max || Double.isNaN(max)) {
            max = s.value();
          }
        }
        return max;
      }
      case STDVAR:
      case STDDEV: {
        double count = 0;
        double mean = 0;
        double aux = 0;
        for (VectorSample s : samples) {
          count++;
          double delta = s.value() - mean;
          mean += delta / count;
          aux += delta * (s.value() - mean);
        }
        return op == VectorOp.STDDEV ? Math.sqrt(aux / count) : aux / count;
      }
      default:
        throw new IllegalStateException("not a grouping aggregation: " + op);
    }
  }

  /** The k best samples of a group (largest for topk), best first; ties keep label order. */
  private List<VectorSample> best(List<VectorSample> samples, boolean largest) {
    if (k <= 0) {
      return List.of();
    }
    Comparator<VectorSample> better = (a, b) -> {
      boolean an = Double.isNaN(a.value());
      boolean bn = Double.isNaN(b.value());
      if (an || bn) {
        return Boolean.compare(an, bn);
      }
      int c = Double.compare(a.value(), b.value());
      return largest ? -c : c;
    };
    List<VectorSample> sorted = new ArrayList<>(samples);
    sorted.sort(better.thenComparing(VectorSample::labels));
    return sorted.subList(0, Math.min(k, sorted.size()));
  }

  private static List<VectorSample> sorted(List<VectorSample> in, boolean descending) {
    List<VectorSample> out = new ArrayList<>(in);
    out.sort((a, b) -> {
      boolean an = Double.isNaN(a.value());
      boolean bn = Double.isNaN(b.value());
      if (an || bn) {
        return Boolean.compare(an, bn);
      }
      int c = Double.compare(a.value(), b.value());
      return descending ? -c : c;
    });
    return out;
  }
}
