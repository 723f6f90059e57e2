package io.fjord.logql.eval;

import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mutable state of the entry being processed by one stream's pipeline: the line, the
 * timestamp and the labels as Loki's pipeline sees them (stream labels, then structured metadata,
 * then labels set by stages, minus deleted ones). Reused for every entry of the stream so that an
 * entry whose labels are not touched allocates nothing here. Not thread-safe.
 */
final class Entry {
  static final String ERROR = "__error__";
  static final String ERROR_DETAILS = "__error_details__";

  final Labels stream;
  private Labels metadata = Labels.EMPTY;
  private final Map<String, String> set = new HashMap<>();
  private final Set<String> deleted = new HashSet<>();
  private final Set<String> parsedNow = new HashSet<>();
  long timestamp;
  String line;
  private ParsedKeys parsedKeys;

  Entry(Labels stream) {
    this.stream = stream;
  }

  void reset(long timestampNanos, String line, Labels structuredMetadata) {
    this.timestamp = timestampNanos;
    this.line = line;
    this.metadata = structuredMetadata == null ? Labels.EMPTY : structuredMetadata;
    if (!set.isEmpty()) {
      set.clear();
    }
    if (!deleted.isEmpty()) {
      deleted.clear();
    }
  }

  /** The current value of a label, or null when absent. */
  String get(String name) {
    String v = set.get(name);
    if (v != null) {
      return v;
    }
    if (!deleted.isEmpty() && deleted.contains(name)) {
      return null;
    }
    v = metadata.get(name);
    return v != null ? v : stream.get(name);
  }

  /** True when {@code name} is a stream label (an extracted label of that name gets {@code _extracted}). */
  boolean streamHas(String name) {
    return stream.get(name) != null;
  }

  void set(String name, String value) {
    set.put(name, value);
    if (!deleted.isEmpty()) {
      deleted.remove(name);
    }
  }

  /** Starts a parser's run over the line: {@link #setParsed} keeps the first value of each key. */
  void beginParse() {
    if (!parsedNow.isEmpty()) {
      parsedNow.clear();
    }
  }

  /**
   * Sets a label extracted by a parser: renamed {@code name_extracted} when it collides with a
   * stream label; a key seen twice in one line keeps its first value.
   */
  void setParsed(String name, String value) {
    if (name.isEmpty()) {
      return;
    }
    setParsedName(parsedName(name), value);
  }

  /** The label a parser stores {@code name} under: {@code name_extracted} when the stream has it. */
  String parsedName(String name) {
    return streamHas(name) ? name + "_extracted" : name;
  }

  /** The parser names of this stream's keys; made on first use. */
  ParsedKeys parsedKeys() {
    ParsedKeys k = parsedKeys;
    if (k == null) {
      k = new ParsedKeys();
      parsedKeys = k;
    }
    return k;
  }

  /** {@link #setParsed} for a name already passed through {@link #parsedName} (not empty). */
  void setParsedName(String key, String value) {
    if (parsedNow.add(key)) {
      set.put(key, value);
      if (!deleted.isEmpty()) {
        deleted.remove(key);
      }
    }
  }

  void delete(String name) {
    set.remove(name);
    deleted.add(name);
  }

  boolean hasError() {
    return set.containsKey(ERROR);
  }

  /** Records a stage failure; the first error of an entry wins. */
  void setError(String error, String details) {
    if (!hasError()) {
      set.put(ERROR, error);
      if (details != null) {
        set.put(ERROR_DETAILS, details);
      }
    }
  }

  /** Records an error over any earlier one (as Loki's sample extraction does); null details clear them. */
  void replaceError(String error, String details) {
    set.put(ERROR, error);
    if (details != null) {
      set.put(ERROR_DETAILS, details);
    } else {
      set.remove(ERROR_DETAILS);
    }
  }

  boolean untouched() {
    return set.isEmpty() && deleted.isEmpty();
  }

  Labels metadata() {
    return metadata;
  }

  /** Every current label name (for keep and templates). */
  List<String> names() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < stream.size(); i++) {
      names.add(stream.name(i));
    }
    for (int i = 0; i < metadata.size(); i++) {
      names.add(metadata.name(i));
    }
    names.removeAll(deleted);
    names.addAll(set.keySet());
    return new ArrayList<>(names);
  }

  /**
   * The current labels as an immutable set: what {@link #get} answers for each of {@link #names},
   * gathered without a name set (stream labels shadowed by metadata, both by labels set or deleted).
   */
  Labels labels() {
    List<String[]> pairs = new ArrayList<>(stream.size() + metadata.size() + set.size());
    boolean noneDeleted = deleted.isEmpty();
    for (int i = 0; i < stream.size(); i++) {
      String n = stream.name(i);
      if (!set.containsKey(n) && (noneDeleted || !deleted.contains(n)) && (metadata.isEmpty() || metadata.get(n) == null)) {
        pairs.add(new String[] {n, stream.value(i)});
      }
    }
    for (int i = 0; i < metadata.size(); i++) {
      String n = metadata.name(i);
      if (!set.containsKey(n) && (noneDeleted || !deleted.contains(n))) {
        pairs.add(new String[] {n, metadata.value(i)});
      }
    }
    for (Map.Entry<String, String> e : set.entrySet()) {
      pairs.add(new String[] {e.getKey(), e.getValue()});
    }
    return Labels.ofPairs(pairs);
  }
}
