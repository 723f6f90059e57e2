package io.fjord.distributor.validation;

import io.fjord.distributor.batch.RecordSize;
import io.fjord.distributor.cache.BoundedCache;
import io.fjord.distributor.push.LabelPair;
import io.fjord.distributor.push.PushedEntry;
import io.fjord.distributor.push.PushedStream;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.StreamBatch;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.fjord.schemas.text.Utf8;
import io.fjord.schemas.labels.LabelNames;

/**
 * Applies Loki's push validation to a decoded push, stream by stream and entry by entry, keeping
 * what is valid and recording what is not (as Loki does, a partly invalid push still writes its
 * valid part). Stream rules, in Loki's order: readable label text with names matching
 * {@code [a-zA-Z_][a-zA-Z0-9_]*} and UTF-8 values, at least one label, at most
 * {@code max_label_names_per_series}, then per label (sorted) name length, value length and
 * duplicates. Entry rules: not older than {@code reject_old_samples_max_age}, not newer than
 * now + {@code creation_grace_period}, line within {@code max_line_size} (or truncated to it), valid
 * structured metadata, and small enough for one Kafka record. Streams pushed twice are merged.
 * The stream rules depend only on the pushed pairs and the limits, so label sets that passed them
 * (and are at most {@link #MAX_CACHED_CHARS} long) are kept in a bounded cache ({@link #CACHE_SIZE})
 * and the next push of the same pairs skips the checks, the sort and building its {@link Labels}. Time comes from the injected clock.
 * Thread-safe (the cache is concurrent; nothing else is mutable).
 */
public final class PushValidator {
  private static final Comparator<LabelPair> BY_NAME = Comparator.comparing(LabelPair::name);
  private static final int MAX_SHOWN = 1024;

  /** Distinct pushed label sets whose validated form is remembered (as Loki's distributor caches them). */
  static final int CACHE_SIZE = 10_000;
  /**
   * Label sets longer than this (names and values, in chars) are validated every time instead of
   * cached, so that the cache stays within a few MB however long the label values clients send.
   */
  static final int MAX_CACHED_CHARS = 1024;

  private final ValidationLimits limits;
  private final Clock clock;
  /** Pushed pairs (in pushed order) of label sets that passed validation → their canonical form. */
  private final BoundedCache<List<LabelPair>, Valid> cache = new BoundedCache<>(CACHE_SIZE);

  /** A stream's validated labels and its name in error messages. */
  private record Valid(Labels labels, String name) {}

  public PushValidator(ValidationLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  public ValidatedPush validate(String tenant, List<PushedStream> streams) {
    long now = nanos(clock.instant());
    long oldest = limits.rejectOldSamples()
        ? saturatedAdd(now, -limits.rejectOldSamplesMaxAge().toNanos()) : Long.MIN_VALUE;
    long newest = saturatedAdd(now, limits.creationGracePeriod().toNanos());
    Rejections rejections = new Rejections();
    Map<Labels, List<LogEntry>> accepted = new LinkedHashMap<>();
    long bytes = 0;
    int lines = 0;
    for (PushedStream stream : streams) {
      if (stream.entries().isEmpty()) {
        continue; // nothing to write, nothing to reject (as Loki skips empty streams)
      }
      Valid valid = stream.labels() == null ? null : cache.get(stream.labels());
      if (valid == null) {
        Labels checked = labels(stream, rejections);
        if (checked == null) {
          continue;
        }
        valid = new Valid(checked, abbreviate(checked.toString()));
        if (chars(stream.labels()) <= MAX_CACHED_CHARS) {
          cache.put(List.copyOf(stream.labels()), valid);
        }
      }
      Labels labels = valid.labels();
      String name = valid.name();
      long entryBudget = limits.maxRecordBytes() - RecordSize.fixed(tenant, labels) - RecordSize.MAX_COUNT_BYTES;
      List<LogEntry> out = accepted.computeIfAbsent(labels, l -> new ArrayList<>(stream.entries().size()));
      for (PushedEntry e : stream.entries()) {
        long ts = e.timestampNanos();
        if (ts < oldest) {
          rejections.add(RejectionReason.GREATER_THAN_MAX_SAMPLE_AGE, name, () -> "entry for stream '" + name
              + "' has timestamp too old: " + GoTime.format(ts) + ", oldest acceptable timestamp is: " + GoTime.format(oldest));
          continue;
        }
        if (ts > newest) {
          rejections.add(RejectionReason.TOO_FAR_IN_FUTURE, name,
              () -> "entry for stream '" + name + "' has timestamp too new: " + GoTime.format(ts));
          continue;
        }
        String line = e.line();
        long lineBytes = e.lineBytes();
        if (limits.maxLineBytes() > 0 && lineBytes > limits.maxLineBytes()) {
          if (!limits.truncateLongLines()) {
            long size = lineBytes;
            rejections.add(RejectionReason.LINE_TOO_LONG, name, () -> "Max entry size '" + limits.maxLineBytes()
                + "' bytes exceeded for stream '" + name + "' while adding an entry with length '" + size + "' bytes");
            continue;
          }
          line = truncateUtf8(line, limits.maxLineBytes());
          lineBytes = Utf8.length(line);
        }
        Labels metadata = metadata(e.metadata(), name, rejections);
        if (metadata == null) {
          continue;
        }
        long entrySize = RecordSize.entry(lineBytes, metadata);
        if (entrySize > entryBudget) {
          rejections.add(RejectionReason.LINE_TOO_LONG, name, () -> "entry for stream '" + name + "' of " + entrySize
              + " bytes does not fit in one Kafka record of at most " + limits.maxRecordBytes()
              + " bytes (distributor.max_record_size)");
          continue;
        }
        out.add(new LogEntry(ts, line, metadata));
        bytes += lineBytes + metadataBytes(metadata);
        lines++;
      }
    }
    List<StreamBatch> batches = new ArrayList<>(accepted.size());
    accepted.forEach((labels, entries) -> {
      if (!entries.isEmpty()) {
        batches.add(new StreamBatch(tenant, labels, entries));
      }
    });
    return new ValidatedPush(batches, rejections.toList(), bytes, lines);
  }

  private static int chars(List<LabelPair> pairs) {
    int n = 0;
    for (LabelPair p : pairs) {
      n += p.name().length() + p.value().length();
    }
    return n;
  }

  /** Label sets whose validated form is cached now (at most {@link #CACHE_SIZE}). */
  int cachedLabelSets() {
    return cache.size();
  }

  /** The stream's canonical labels, or null after recording why the whole stream is rejected. */
  private Labels labels(PushedStream stream, Rejections rejections) {
    int entries = stream.entries().size();
    if (stream.labels() == null) {
      String shown = stream.describe();
      rejections.add(RejectionReason.INVALID_LABELS, shown,
          "error parsing labels '" + shown + "' with error: " + stream.labelsError(), entries);
      return null;
    }
    List<LabelPair> pairs = stream.labels();
    for (LabelPair p : pairs) {
      String problem = !LabelNames.isValid(p.name())
          ? "invalid label name \"" + abbreviate(p.name()) + "\": must match [a-zA-Z_][a-zA-Z0-9_]*"
          : !isValidUtf16(p.value()) ? "value of label \"" + p.name() + "\" is not valid UTF-8" : null;
      if (problem != null) {
        String shown = stream.describe();
        rejections.add(RejectionReason.INVALID_LABELS, shown,
            "error parsing labels '" + shown + "' with error: " + problem, entries);
        return null;
      }
    }
    if (pairs.isEmpty()) {
      rejections.add(RejectionReason.MISSING_LABELS, "{}", "error at least one label pair is required per stream", entries);
      return null;
    }
    if (pairs.size() > limits.maxLabelNamesPerSeries()) {
      String shown = stream.describe();
      rejections.add(RejectionReason.MAX_LABEL_NAMES_PER_SERIES, shown, "entry for stream '" + shown + "' has "
          + pairs.size() + " label names; limit " + limits.maxLabelNamesPerSeries(), entries);
      return null;
    }
    LabelPair[] sorted = pairs.toArray(LabelPair[]::new);
    Arrays.sort(sorted, BY_NAME);
    for (int i = 0; i < sorted.length; i++) {
      LabelPair p = sorted[i];
      RejectionReason reason = null;
      String message = null;
      if (p.name().length() > limits.maxLabelNameLength()) {
        reason = RejectionReason.LABEL_NAME_TOO_LONG;
        message = "has label name too long: '" + abbreviate(p.name()) + "'";
      } else if (Utf8.length(p.value()) > limits.maxLabelValueLength()) {
        reason = RejectionReason.LABEL_VALUE_TOO_LONG;
        message = "has label value too long: '" + abbreviate(p.value()) + "'";
      } else if (i > 0 && p.name().equals(sorted[i - 1].name())) {
        reason = RejectionReason.DUPLICATE_LABEL_NAMES;
        message = "has duplicate label name: '" + p.name() + "'";
      }
      if (reason != null) {
        String shown = stream.describe();
        rejections.add(reason, shown, "stream '" + shown + "' " + message, entries);
        return null;
      }
    }
    List<String[]> canonical = new ArrayList<>(sorted.length);
    for (LabelPair p : sorted) {
      canonical.add(new String[] {p.name(), p.value()});
    }
    return Labels.ofPairs(canonical);
  }

  /** The entry's metadata as labels, or null after recording why the entry is rejected. */
  private Labels metadata(List<LabelPair> pairs, String stream, Rejections rejections) {
    if (pairs.isEmpty()) {
      return Labels.EMPTY;
    }
    long size = 0;
    for (LabelPair p : pairs) {
      if (!LabelNames.isValid(p.name())) {
        rejections.add(RejectionReason.INVALID_LABELS, stream, () -> "entry for stream '" + stream
            + "' has invalid structured metadata name '" + abbreviate(p.name()) + "': must match [a-zA-Z_][a-zA-Z0-9_]*");
        return null;
      }
      size += p.name().length() + Utf8.length(p.value());
    }
    if (pairs.size() > limits.maxStructuredMetadataEntries()) {
      rejections.add(RejectionReason.STRUCTURED_METADATA_TOO_MANY, stream, () -> "stream '" + stream
          + "' has too many structured metadata labels: '" + pairs.size() + "', limit: '"
          + limits.maxStructuredMetadataEntries() + "'. Please see `limits_config.max_structured_metadata_entries_count`"
          + " or contact your Loki administrator to increase it.");
      return null;
    }
    if (size > limits.maxStructuredMetadataBytes()) {
      long total = size;
      rejections.add(RejectionReason.STRUCTURED_METADATA_TOO_LARGE, stream, () -> "stream '" + stream
          + "' has structured metadata too large: '" + total + "' bytes, limit: '" + limits.maxStructuredMetadataBytes()
          + "'. Please see `limits_config.max_structured_metadata_size` or contact your Loki administrator to increase it.");
      return null;
    }
    List<String[]> list = new ArrayList<>(pairs.size());
    for (LabelPair p : pairs) {
      list.add(new String[] {p.name(), p.value()});
    }
    try {
      return Labels.ofPairs(list);
    } catch (IllegalArgumentException duplicate) {
      String dup = duplicateName(pairs);
      rejections.add(RejectionReason.DUPLICATE_LABEL_NAMES, stream,
          () -> "entry for stream '" + stream + "' has duplicate structured metadata name: '" + dup + "'");
      return null;
    }
  }

  private static String duplicateName(List<LabelPair> pairs) {
    LabelPair[] sorted = pairs.toArray(LabelPair[]::new);
    Arrays.sort(sorted, BY_NAME);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i].name().equals(sorted[i - 1].name())) {
        return sorted[i].name();
      }
    }
    return "";
  }

  private static long metadataBytes(Labels metadata) {
    long size = 0;
    for (int i = 0; i < metadata.size(); i++) {
      size += metadata.name(i).length() + Utf8.length(metadata.value(i));
    }
    return size;
  }

  /** Whether the string has no unpaired surrogate, i.e. whether it is expressible in UTF-8. */
  static boolean isValidUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** The longest prefix of {@code line} of at most {@code maxBytes} UTF-8 bytes, never splitting a character. */
  static String truncateUtf8(String line, long maxBytes) {
    long bytes = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      int width;
      int chars = 1;
      if (c < 0x80) {
        width = 1;
      } else if (c < 0x800) {
        width = 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < line.length() && Character.isLowSurrogate(line.charAt(i + 1))) {
        width = 4;
        chars = 2;
      } else if (Character.isSurrogate(c)) {
        width = 1;
      } else {
        width = 3;
      }
      if (bytes + width > maxBytes) {
        return line.substring(0, i);
      }
      bytes += width;
      i += chars - 1;
    }
    return line;
  }

  private static String abbreviate(String s) {
    return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
  }

  private static long nanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }
}
