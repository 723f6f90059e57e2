package io.fjord.querier.engine.metric;

import io.fjord.logql.ast.Grouping;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Label-set arithmetic for the evaluator: keep, drop, group. Stateless. */
final class LabelSets {
  private LabelSets() {}

  /** Only the labels of {@code labels} named in {@code names}. */
  static Labels keep(Labels labels, Collection<String> names) {
    List<String[]> kept = new ArrayList<>(names.size());
    for (int i = 0; i < labels.size(); i++) {
      if (names.contains(labels.name(i))) {
        kept.add(new String[] {labels.name(i), labels.value(i)});
      }
    }
    return kept.size() == labels.size() ? labels : Labels.ofPairs(kept);
  }

  /** The labels of {@code labels} not named in {@code names}. */
  static Labels drop(Labels labels, Collection<String> names) {
    List<String[]> kept = new ArrayList<>(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      if (!names.contains(labels.name(i))) {
        kept.add(new String[] {labels.name(i), labels.value(i)});
      }
    }
    return kept.size() == labels.size() ? labels : Labels.ofPairs(kept);
  }

  /** The group of a series under a vector aggregation's grouping; no grouping is one group without labels. */
  static Labels group(Labels labels, Grouping grouping) {
    if (grouping == null) {
      return Labels.EMPTY;
    }
    return grouping.without() ? drop(labels, grouping.labels()) : keep(labels, grouping.labels());
  }

  /** {@code labels} with {@code name} set to {@code value}, or removed when {@code value} is empty. */
  static Labels with(Labels labels, String name, String value) {
    List<String[]> pairs = new ArrayList<>(labels.size() + 1);
    for (int i = 0; i < labels.size(); i++) {
      if (!labels.name(i).equals(name)) {
        pairs.add(new String[] {labels.name(i), labels.value(i)});
      }
    }
    if (!value.isEmpty()) {
      pairs.add(new String[] {name, value});
    }
    return Labels.ofPairs(pairs);
  }
}
