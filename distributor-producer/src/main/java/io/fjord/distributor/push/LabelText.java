package io.fjord.distributor.push;

import io.fjord.distributor.cache.BoundedCache;
import io.fjord.schemas.labels.LabelsParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a stream's label text ({@code {app="api", env="prod"}}), as the protobuf and legacy JSON
 * pushes carry it, into pairs; text that cannot be read makes an unreadable stream that
 * validation rejects on its own. Clients send the same few label texts push after push, so the
 * outcome of each text (of at most {@link #MAX_CACHED_CHARS} chars) is kept in a bounded cache
 * ({@link #CACHE_SIZE} texts) and a repeated text is not parsed again; the cached pair list is also the same object every time, which makes the
 * validator's own cache lookup cheap. Thread-safe.
 */
final class LabelText {
  /** Distinct label texts remembered; Loki's distributor keeps a cache of the same kind. */
  static final int CACHE_SIZE = 10_000;
  /** Longer texts are parsed every time, so that the cache stays within a few MB. */
  static final int MAX_CACHED_CHARS = 1024;

  /** What a text reads as: its pairs, or why it cannot be read. */
  private record Parsed(List<LabelPair> labels, String error) {}

  private static final BoundedCache<String, Parsed> CACHE = new BoundedCache<>(CACHE_SIZE);

  private LabelText() {}

  static PushedStream read(String text, List<PushedEntry> entries) {
    boolean cacheable = text.length() <= MAX_CACHED_CHARS;
    Parsed parsed = cacheable ? CACHE.get(text) : null;
    if (parsed == null) {
      parsed = parse(text);
      if (cacheable) {
        CACHE.put(text, parsed);
      }
    }
    return parsed.labels() != null
        ? PushedStream.parsed(text, parsed.labels(), entries)
        : PushedStream.unreadable(text, parsed.error(), entries);
  }

  private static Parsed parse(String text) {
    List<String[]> pairs;
    try {
      pairs = LabelsParser.parsePairs(text);
    } catch (LabelsParser.LabelsSyntaxException e) {
      return new Parsed(null, e.getMessage());
    }
    List<LabelPair> labels = new ArrayList<>(pairs.size());
    for (String[] pair : pairs) {
      labels.add(new LabelPair(pair[0], pair[1]));
    }
    return new Parsed(List.copyOf(labels), null);
  }
}
