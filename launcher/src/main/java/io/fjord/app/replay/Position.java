package io.fjord.app.replay;

import io.fjord.app.tool.ToolUsageException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One end of a replay range as given to {@code --from} or {@code --to}: an RFC3339 time (resolved per
 * partition to the first offset at or after it, Kafka's offsetsForTimes), a plain offset for every
 * partition, or {@code P:OFFSET[,P:OFFSET...]} for named partitions only. Immutable.
 */
sealed interface Position {

  /** The first record written at or after {@code time}, in every partition. */
  record Time(Instant time) implements Position {}

  /** {@code offset} in every partition. */
  record Offset(long offset) implements Position {}

  /** Offsets of named partitions; the others are not replayed (for {@code --from}) or read to their end ({@code --to}). */
  record PartitionOffsets(Map<Integer, Long> offsets) implements Position {
    public PartitionOffsets {
      offsets = java.util.Collections.unmodifiableMap(new TreeMap<>(offsets));
    }

    OptionalLong of(int partition) {
      Long o = offsets.get(partition);
      return o == null ? OptionalLong.empty() : OptionalLong.of(o);
    }
  }

  /** Reads {@code text} given to {@code --flag}; the message of a refusal names the flag and the forms it takes. */
  static Position parse(String flag, String text) throws ToolUsageException {
    String t = text.strip();
    if (t.isEmpty()) {
      throw new ToolUsageException("--" + flag + " needs a value");
    }
    if (t.chars().allMatch(Character::isDigit)) {
      return new Offset(offset(flag, t, t));
    }
    if (t.matches("[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*")) {
      Map<Integer, Long> offsets = new TreeMap<>();
      for (String part : t.split(",")) {
        int colon = part.indexOf(':');
        int partition;
        try {
          partition = Integer.parseInt(part.substring(0, colon));
        } catch (NumberFormatException e) {
          throw new ToolUsageException("--" + flag + ": partition " + part.substring(0, colon) + " is too large");
        }
        if (offsets.put(partition, offset(flag, part.substring(colon + 1), t)) != null) {
          throw new ToolUsageException("--" + flag + ": partition " + partition + " is given twice in " + t);
        }
      }
      return new PartitionOffsets(offsets);
    }
    try {
      return new Time(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException e) {
      throw new ToolUsageException("--" + flag + ": cannot read \"" + text + "\": give an RFC3339 time "
          + "(2024-05-01T12:00:00Z), an offset for every partition (1200) or PARTITION:OFFSET pairs (0:1200,3:80)");
    }
  }

  private static long offset(String flag, String digits, String whole) throws ToolUsageException {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new ToolUsageException("--" + flag + ": offset " + digits + " in " + whole + " is too large");
    }
  }
}
