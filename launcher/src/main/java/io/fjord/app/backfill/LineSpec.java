package io.fjord.app.backfill;

import io.fjord.distributor.push.LabelPair;
import java.util.List;
import java.util.Map;

/**
 * How a record becomes a log entry: the format, the labels every line gets, the labels taken from
 * fields of the line (label name → field name, in flag order) and the field holding the time (null:
 * the Kafka record's timestamp). Immutable.
 */
record LineSpec(LineFormat format, List<LabelPair> labels, Map<String, String> labelFields, String timestampField) {
  LineSpec {
    labels = List.copyOf(labels);
    labelFields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labelFields));
  }

  static LineSpec raw(List<LabelPair> labels) {
    return new LineSpec(LineFormat.RAW, labels, Map.of(), null);
  }
}
