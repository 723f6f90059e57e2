package io.fjord.app.backfill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts of one backfill run: records read, lines accepted (stored in the logs topic) and
 * lines rejected per reason (the push API's reasons and {@link BackfillReason}s, by their summary
 * names), each reason with the first message seen as its example. Single-threaded (the run's loop).
 */
final class Tally {
  private long read;
  private long accepted;
  private final Map<String, Group> rejected = new LinkedHashMap<>();

  /** The lines rejected for one reason and the first message saying why. */
  record Reason(String name, long lines, String example) {}

  private static final class Group {
    final String example;
    long lines;

    Group(String example) {
      this.example = example;
    }
  }

  void read(long records) {
    read += records;
  }

  void accepted(long lines) {
    accepted += lines;
  }

  void rejected(String reason, long lines, String message) {
    rejected.computeIfAbsent(reason, r -> new Group(message)).lines += lines;
  }

  long read() {
    return read;
  }

  long accepted() {
    return accepted;
  }

  long rejectedLines() {
    return rejected.values().stream().mapToLong(g -> g.lines).sum();
  }

  /** The reasons in first-seen order with their counts. */
  List<Reason> reasons() {
    List<Reason> out = new ArrayList<>(rejected.size());
    rejected.forEach((name, g) -> out.add(new Reason(name, g.lines, g.example)));
    return out;
  }
}
