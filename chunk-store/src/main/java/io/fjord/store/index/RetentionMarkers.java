package io.fjord.store.index;

import io.fjord.store.ChunkKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Retention markers: the chunk objects that retention removed from the index and will delete once
 * {@code retention_delete_delay} has passed. A marker is written before the index entries are
 * removed, so a compactor that dies part way leaves no chunk that nothing will ever delete.
 *
 * <pre>
 * key  = &lt;tenant&gt;/retention/&lt;deleteAfter&gt;-&lt;random&gt;
 *          deleteAfter  Unix ms from which the chunks may go, 16 lower-case hex digits
 *          random       64 random bits, 16 lower-case hex digits
 * body = "fjord-retention-marker 1\n" | (chunk key "\n") * n | "end " n "\n"      (UTF-8 text)
 * </pre>
 *
 * Stateless.
 */
final class RetentionMarkers {
  static final String DIR = "retention";
  static final String HEADER = "fjord-retention-marker 1";

  /** A parsed marker key. */
  record MarkerKey(String key, long deleteAfterMillis) {}

  private RetentionMarkers() {}

  static String prefix(String tenant) {
    String index = IndexKeys.tenantPrefix(tenant); // <tenant>/index/, tenant checked
    return index.substring(0, index.length() - (IndexKeys.INDEX + "/").length()) + DIR + "/";
  }

  static String newKey(String tenant, long deleteAfterMillis, long random) {
    return prefix(tenant) + String.format("%016x-%016x", deleteAfterMillis, random);
  }

  static Optional<MarkerKey> parse(String tenant, String key) {
    String p = prefix(tenant);
    if (!key.startsWith(p) || !key.substring(p.length()).matches("[0-9a-f]{16}-[0-9a-f]{16}")) {
      return Optional.empty();
    }
    return Optional.of(new MarkerKey(key, Long.parseUnsignedLong(key.substring(p.length(), p.length() + 16), 16)));
  }

  static byte[] encode(Collection<ChunkKey> chunks) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (ChunkKey c : chunks) {
      sb.append(c.key()).append('\n');
    }
    sb.append("end ").append(chunks.size()).append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The chunks a marker of {@code tenant} lists.
   *
   * @throws IndexFormatException naming the marker when it is not a whole version-1 marker, or lists
   *     anything but chunk keys of {@code tenant}
   */
  static List<ChunkKey> decode(String markerKey, String tenant, byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!text.endsWith("\n")) {
      throw new IndexFormatException(markerKey, "retention marker is truncated");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 2 || !lines[0].equals(HEADER)) {
      throw new IndexFormatException(markerKey, "not a version 1 retention marker");
    }
    String last = lines[lines.length - 1];
    if (!last.equals("end " + (lines.length - 2))) {
      throw new IndexFormatException(markerKey, "retention marker is truncated (its last line is \"" + last + "\")");
    }
    List<ChunkKey> chunks = new ArrayList<>(lines.length - 2);
    for (int i = 1; i < lines.length - 1; i++) {
      ChunkKey c;
      try {
        c = ChunkKey.parse(lines[i]);
      } catch (IllegalArgumentException e) {
        throw new IndexFormatException(markerKey, "line " + (i + 1) + " is not a chunk key");
      }
      if (!c.tenant().equals(tenant)) {
        throw new IndexFormatException(markerKey, "line " + (i + 1) + " names a chunk of another tenant");
      }
      chunks.add(c);
    }
    return chunks;
  }
}
