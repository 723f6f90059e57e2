package io.fjord.distributor.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a push's rejections, grouped by (stream, reason) in first-seen order so that a push of
 * a million too-old entries yields one line, not a million; and renders them as the body of the
 * 400 answer. Single-threaded (one per push).
 */
final class Rejections {
  /** The most groups the answer lists; the rest are counted. */
  static final int MAX_LISTED = 20;

  private final Map<Key, Group> groups = new LinkedHashMap<>();

  private record Key(String stream, RejectionReason reason) {}

  private static final class Group {
    final String message;
    int entries;

    Group(String message) {
      this.message = message;
    }
  }

  void add(RejectionReason reason, String stream, String message, int entries) {
    groups.computeIfAbsent(new Key(stream, reason), k -> new Group(message)).entries += entries;
  }

  /** Like {@link #add} but builds the message only for the first rejection of its group. */
  void add(RejectionReason reason, String stream, java.util.function.Supplier<String> message) {
    Key key = new Key(stream, reason);
    Group g = groups.get(key);
    if (g == null) {
      g = new Group(message.get());
      groups.put(key, g);
    }
    g.entries++;
  }

  List<Rejection> toList() {
    List<Rejection> out = new ArrayList<>(groups.size());
    groups.forEach((k, g) -> out.add(new Rejection(k.reason(), k.stream(), g.message, g.entries)));
    return List.copyOf(out);
  }

  /** The answer's text: one line per group (at most {@link #MAX_LISTED}), then a count of the rest. */
  static String summary(List<Rejection> rejections) {
    StringBuilder sb = new StringBuilder();
    int listed = Math.min(rejections.size(), MAX_LISTED);
    for (int i = 0; i < listed; i++) {
      Rejection r = rejections.get(i);
      if (i > 0) {
        sb.append('\n');
      }
      sb.append(r.message());
      if (r.entries() > 1) {
        sb.append(" (").append(r.entries()).append(" entries rejected)");
      }
    }
    if (rejections.size() > listed) {
      int entries = 0;
      for (int i = listed; i < rejections.size(); i++) {
        entries += rejections.get(i).entries();
      }
      sb.append("\n... and ").append(rejections.size() - listed).append(" more rejections (")
          .append(entries).append(" entries)");
    }
    return sb.toString();
  }
}
