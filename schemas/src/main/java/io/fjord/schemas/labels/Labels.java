package io.fjord.schemas.labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable label set sorted by name: a stream's identity, or an entry's structured metadata.
 * Duplicate names are not allowed here; validation reports them before a {@code Labels} is built.
 * Its canonical text is {@code {a="1", b="2"}} with Go-style quoted values, which is what Loki
 * prints and what the fingerprint hashes. Thread-safe (immutable).
 */
public final class Labels implements Comparable<Labels> {
  public static final Labels EMPTY = new Labels(new String[0], new String[0]);

  private final String[] names;
  private final String[] values;
  private int hash;

  private Labels(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /** Builds from pairs in any order; throws {@link IllegalArgumentException} on a duplicate name. */
  public static Labels of(Map<String, String> pairs) {
    String[][] sorted = pairs.entrySet().stream()
        .map(e -> new String[] {e.getKey(), e.getValue()})
        .sorted((a, b) -> a[0].compareTo(b[0]))
        .toArray(String[][]::new);
    return fromSorted(sorted);
  }

  /** Builds from alternating name, value arguments. */
  public static Labels of(String... nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of name/value arguments");
    }
    String[][] pairs = new String[nameValues.length / 2][];
    for (int i = 0; i < pairs.length; i++) {
      pairs[i] = new String[] {nameValues[2 * i], nameValues[2 * i + 1]};
    }
    Arrays.sort(pairs, (a, b) -> a[0].compareTo(b[0]));
    return fromSorted(pairs);
  }

  /** Builds from a list of pairs in any order (names may repeat only if the caller checked). */
  public static Labels ofPairs(List<String[]> pairs) {
    String[][] sorted = pairs.toArray(String[][]::new);
    Arrays.sort(sorted, (a, b) -> a[0].compareTo(b[0]));
    return fromSorted(sorted);
  }

  private static Labels fromSorted(String[][] pairs) {
    if (pairs.length == 0) {
      return EMPTY;
    }
    String[] n = new String[pairs.length];
    String[] v = new String[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      if (i > 0 && pairs[i][0].equals(pairs[i - 1][0])) {
        throw new IllegalArgumentException("duplicate label name: " + pairs[i][0]);
      }
      n[i] = pairs[i][0];
      v[i] = pairs[i][1];
    }
    return new Labels(n, v);
  }

  public int size() {
    return names.length;
  }

  public boolean isEmpty() {
    return names.length == 0;
  }

  public String name(int i) {
    return names[i];
  }

  public String value(int i) {
    return values[i];
  }

  /** The value of {@code name}, or {@code null} when absent. */
  public String get(String name) {
    int i = Arrays.binarySearch(names, name);
    return i >= 0 ? values[i] : null;
  }

  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], values[i]);
    }
    return m;
  }

  /** This set with {@code other}'s labels added; on a name present in both, {@code other} wins. */
  public Labels merge(Labels other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    Map<String, String> m = new java.util.TreeMap<>(toMap());
    m.putAll(other.toMap());
    return of(m);
  }

  /** The canonical text: {@code {a="1", b="2"}}; {@code {}} when empty. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(16 * names.length + 2).append('{');
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append('=');
      quote(values[i], sb);
    }
    return sb.append('}').toString();
  }

  /** Appends {@code s} as a Go double-quoted string literal (the form Loki prints label values in). */
  public static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  public List<String> names() {
    return List.of(names);
  }

  public List<String[]> pairs() {
    List<String[]> out = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      out.add(new String[] {names[i], values[i]});
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Labels other && Arrays.equals(names, other.names) && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Labels o) {
    int n = Math.min(names.length, o.names.length);
    for (int i = 0; i < n; i++) {
      int c = names[i].compareTo(o.names[i]);
      if (c != 0) {
        return c;
      }
      c = values[i].compareTo(o.values[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(names.length, o.names.length);
  }
}
