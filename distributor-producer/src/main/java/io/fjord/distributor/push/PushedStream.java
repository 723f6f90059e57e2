package io.fjord.distributor.push;

import io.fjord.schemas.labels.Labels;
import java.util.List;

/**
 * One stream of a push as decoded, before validation. Its labels are either the pairs as pushed
 * ({@link #labels()}, in pushed order, possibly malformed) or, when the label text of a protobuf or
 * legacy push could not even be read, {@code null} with {@link #labelsError()} saying why: that
 * stream alone is then rejected as {@code invalid_labels}, as Loki does. Immutable.
 */
public record PushedStream(String labelsText, List<LabelPair> labels, String labelsError, List<PushedEntry> entries) {
  private static final int MAX_DESCRIPTION = 1024;

  public PushedStream {
    if (entries == null || (labels == null) == (labelsError == null)) {
      throw new IllegalArgumentException("a pushed stream has either labels or a labels error, and entries");
    }
  }

  /** A stream whose labels were pushed as name/value pairs (the JSON push). */
  public static PushedStream of(List<LabelPair> labels, List<PushedEntry> entries) {
    return new PushedStream(null, labels, null, entries);
  }

  /** A stream whose labels were pushed as text (protobuf, legacy JSON) and were read into pairs. */
  public static PushedStream parsed(String labelsText, List<LabelPair> labels, List<PushedEntry> entries) {
    return new PushedStream(labelsText, labels, null, entries);
  }

  /** A stream whose label text could not be read. */
  public static PushedStream unreadable(String labelsText, String error, List<PushedEntry> entries) {
    return new PushedStream(labelsText, null, error, entries);
  }

  /**
   * The stream as error messages name it: the pushed label text, or the pairs in pushed order in
   * Loki's {@code {a="1", b="2"}} form; cut at about 1 KB so that a hostile label set cannot blow up
   * the answer.
   */
  public String describe() {
    if (labelsText != null) {
      return abbreviate(labelsText);
    }
    StringBuilder sb = new StringBuilder().append('{');
    for (int i = 0; i < labels.size() && sb.length() <= MAX_DESCRIPTION; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(labels.get(i).name()).append('=');
      Labels.quote(labels.get(i).value(), sb);
    }
    return abbreviate(sb.append('}').toString());
  }

  static String abbreviate(String s) {
    return s.length() <= MAX_DESCRIPTION ? s : s.substring(0, MAX_DESCRIPTION) + "...";
  }
}
