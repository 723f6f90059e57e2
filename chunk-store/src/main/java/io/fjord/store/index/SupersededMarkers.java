package io.fjord.store.index;

import io.fjord.store.ChunkKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Superseded markers: the index objects of one (tenant, period) that a compaction folded into a
 * newer object, kept until {@code compaction_delete_delay} has passed so that a reader that listed
 * them before the compaction still finds them. The compactor writes the marker after the object that
 * replaces them and deletes them, then the marker, on a later run; readers and the compactor treat
 * an object a marker names as gone as soon as they list the marker and its replacement together.
 *
 * <pre>
 * key  = &lt;tenant&gt;/index/&lt;period&gt;/s-&lt;deleteAfter&gt;-&lt;random&gt;
 *          deleteAfter  Unix ms from which the objects may go, 16 lower-case hex digits
 *          random       64 random bits, 16 lower-case hex digits
 * body = "fjord-superseded-marker 1\n" | "by " (replacement key | "-") "\n"
 *        | (index object key "\n") * n | "end " n "\n"                          (UTF-8 text)
 * </pre>
 *
 * Version 2 (written by recompression, {@link PeriodRecompressor}) also names the chunk objects the
 * replacement no longer references because it names their recompressed copies:
 *
 * <pre>
 * body = "fjord-superseded-marker 2\n" | "by " replacement key "\n"
 *        | (index object key "\n") * n | ("chunk " chunk key "\n") * m | "end " n " " m "\n"
 * </pre>
 *
 * A version-2 marker is written <em>before</em> its replacement: a listing that holds the marker
 * but not the replacement reads the old objects (and old chunks) only, one that holds both reads the
 * replacement only, so no reader ever sees a chunk and its recompressed copy together. When it is
 * due and its replacement is listed, the compactor deletes the named index objects and hands the
 * chunks to a retention marker (deleted after {@code retention_delete_delay}); when its replacement
 * was never written (the compactor died in between), only the marker is deleted.
 *
 * <p>The replacement is "-" when retention left nothing of the objects (no newer object was written).
 * The key does not match {@link IndexKeys#parse}, so readers that do not know markers skip it.
 * Stateless.
 */
final class SupersededMarkers {
  static final String LETTER = "s";
  static final String HEADER = "fjord-superseded-marker 1";
  static final String HEADER_2 = "fjord-superseded-marker 2";
  static final String CHUNK = "chunk ";

  /** A parsed marker key. */
  record MarkerKey(String key, long deleteAfterMillis) {}

  /**
   * A marker's contents: {@code superseded} may go once {@code replacement} (empty: nothing
   * replaces them) is listed; {@code chunks} (version 2 only, else empty) are chunk objects the
   * replacement no longer names, deleted later through a retention marker.
   */
  record Supersession(Optional<String> replacement, List<String> superseded, List<ChunkKey> chunks) {
    Supersession {
      superseded = List.copyOf(superseded);
      chunks = List.copyOf(chunks);
    }

    Supersession(Optional<String> replacement, List<String> superseded) {
      this(replacement, superseded, List.of());
    }

    /** Version 2: written before its replacement, which must then be listed for it to count. */
    boolean writtenFirst() {
      return !chunks.isEmpty();
    }
  }

  private SupersededMarkers() {}

  static String newKey(String tenant, long period, long deleteAfterMillis, long random) {
    return IndexKeys.periodPrefix(tenant, period) + LETTER + "-" + String.format("%016x-%016x", deleteAfterMillis, random);
  }

  /** A marker key of {@code tenant} and {@code period}, or empty for any other key. */
  static Optional<MarkerKey> parse(String tenant, long period, String key) {
    String p = IndexKeys.periodPrefix(tenant, period) + LETTER + "-";
    if (!key.startsWith(p) || !key.substring(p.length()).matches("[0-9a-f]{16}-[0-9a-f]{16}")) {
      return Optional.empty();
    }
    return Optional.of(new MarkerKey(key, Long.parseUnsignedLong(key.substring(p.length(), p.length() + 16), 16)));
  }

  static byte[] encode(Optional<String> replacement, Collection<String> superseded) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    sb.append("by ").append(replacement.orElse("-")).append('\n');
    for (String k : superseded) {
      sb.append(k).append('\n');
    }
    sb.append("end ").append(superseded.size()).append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A version-2 marker: {@code replacement} will replace {@code superseded} and no longer name {@code chunks}. */
  static byte[] encode(String replacement, Collection<String> superseded, Collection<ChunkKey> chunks) {
    if (chunks.isEmpty()) {
      return encode(Optional.of(replacement), superseded);
    }
    StringBuilder sb = new StringBuilder(HEADER_2).append('\n');
    sb.append("by ").append(replacement).append('\n');
    for (String k : superseded) {
      sb.append(k).append('\n');
    }
    for (ChunkKey c : chunks) {
      sb.append(CHUNK).append(c.key()).append('\n');
    }
    sb.append("end ").append(superseded.size()).append(' ').append(chunks.size()).append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * What a marker of {@code tenant} and {@code period} says.
   *
   * @throws IndexFormatException naming the marker when it is not a whole version-1 marker, or names
   *     anything but index objects of its own tenant and period
   */
  static Supersession decode(String markerKey, String tenant, long period, byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!text.endsWith("\n")) {
      throw new IndexFormatException(markerKey, "superseded marker is truncated");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length >= 3 && lines[0].equals(HEADER_2) && lines[1].startsWith("by ")) {
      return decode2(markerKey, tenant, period, lines);
    }
    if (lines.length < 3 || !lines[0].equals(HEADER) || !lines[1].startsWith("by ")) {
      throw new IndexFormatException(markerKey, "not a version 1 or 2 superseded marker");
    }
    String last = lines[lines.length - 1];
    if (!last.equals("end " + (lines.length - 3))) {
      throw new IndexFormatException(markerKey, "superseded marker is truncated (its last line is \"" + last + "\")");
    }
    String by = lines[1].substring(3);
    Optional<String> replacement = by.equals("-") ? Optional.empty() : Optional.of(checked(markerKey, tenant, period, by, 2));
    List<String> superseded = new ArrayList<>(lines.length - 3);
    for (int i = 2; i < lines.length - 1; i++) {
      String k = checked(markerKey, tenant, period, lines[i], i + 1);
      if (replacement.isPresent() && replacement.get().equals(k)) {
        throw new IndexFormatException(markerKey, "line " + (i + 1) + " names its own replacement");
      }
      superseded.add(k);
    }
    return new Supersession(replacement, superseded);
  }

  private static Supersession decode2(String markerKey, String tenant, long period, String[] lines) {
    String by = lines[1].substring(3);
    String replacement = checked(markerKey, tenant, period, by, 2);
    List<String> superseded = new ArrayList<>();
    List<ChunkKey> chunks = new ArrayList<>();
    for (int i = 2; i < lines.length - 1; i++) {
      if (lines[i].startsWith(CHUNK)) {
        ChunkKey c;
        try {
          c = ChunkKey.parse(lines[i].substring(CHUNK.length()));
        } catch (IllegalArgumentException e) {
          throw new IndexFormatException(markerKey, "line " + (i + 1) + " is not a chunk key");
        }
        if (!c.tenant().equals(tenant)) {
          throw new IndexFormatException(markerKey, "line " + (i + 1) + " names a chunk of another tenant");
        }
        chunks.add(c);
      } else if (!chunks.isEmpty()) {
        throw new IndexFormatException(markerKey, "line " + (i + 1) + " names an index object after the chunks");
      } else {
        String k = checked(markerKey, tenant, period, lines[i], i + 1);
        if (replacement.equals(k)) {
          throw new IndexFormatException(markerKey, "line " + (i + 1) + " names its own replacement");
        }
        superseded.add(k);
      }
    }
    String last = lines[lines.length - 1];
    if (!last.equals("end " + superseded.size() + " " + chunks.size()) || chunks.isEmpty()) {
      throw new IndexFormatException(markerKey, "superseded marker is truncated (its last line is \"" + last + "\")");
    }
    return new Supersession(Optional.of(replacement), superseded, chunks);
  }

  private static String checked(String markerKey, String tenant, long period, String key, int line) {
    var parsed = IndexKeys.parse(key);
    if (parsed.isEmpty() || !parsed.get().tenant().equals(tenant) || parsed.get().period() != period) {
      throw new IndexFormatException(markerKey, "line " + line + " is not an index object key of its tenant and period");
    }
    return key;
  }

  /**
   * The index keys of one listing that are not superseded: an object goes when a marker in the same
   * listing names it and that marker's replacement is listed too (or it has none). Replacements are
   * always newer than what they replace, so every dropped object's contents are in a kept one.
   */
  static List<String> live(List<String> indexKeys, Collection<Supersession> markers) {
    java.util.Set<String> listed = new java.util.HashSet<>(indexKeys);
    java.util.Set<String> gone = new java.util.HashSet<>();
    for (Supersession s : markers) {
      // a version-2 marker is written before its replacement: without it listed, nothing is gone yet
      if (s.replacement().isEmpty() || listed.contains(s.replacement().get())) {
        gone.addAll(s.superseded());
      }
    }
    return indexKeys.stream().filter(k -> !gone.contains(k)).toList();
  }
}
