package io.fjord.store.index;

import io.fjord.store.ChunkKey;
import java.util.Optional;

/**
 * Where the chunk index lies in the object store, beside the chunks of each tenant:
 *
 * <pre>
 * &lt;tenant&gt;/index/&lt;period&gt;/&lt;kind&gt;-&lt;time&gt;-&lt;random&gt;
 *   period  the index period number: floor(Unix ns / index_period ns), decimal, e.g. 20415 for
 *           2025-11-23 with the default 24h period (negative before 1970)
 *   kind    "p" for a part written by {@code add}, "c" for an object written by the compactor,
 *           "r" for one written by the compactor whose chunks were all recompressed (at
 *           {@code compactor.recompress_zstd_level}; a period whose only object is "r" is done)
 *   time    the writer's clock when it wrote the object, Unix ms, 16 lower-case hex digits
 *   random  64 random bits, 16 lower-case hex digits (two writers never pick the same key)
 * e.g. fake/index/20415/p-0000019ab1c2d3e4-5f0e1d2c3b4a6978
 * </pre>
 *
 * The second segment "index" keeps every index key apart from the chunk keys
 * ({@code <tenant>/chunks/...}, which {@link ChunkKey#parse} alone accepts), and tenants may not
 * start with ".fjord", so no index key falls in a local store's temporary directory. Stateless.
 */
public final class IndexKeys {
  static final String INDEX = "index";

  /** The kind of an index object, the first letter of its name. */
  public enum Kind {
    PART("p"),
    COMPACTED("c"),
    RECOMPRESSED("r");

    final String letter;

    Kind(String letter) {
      this.letter = letter;
    }
  }

  /** A parsed index object key. */
  public record IndexObjectKey(String tenant, long period, Kind kind, String key) {}

  private IndexKeys() {}

  /** {@code <tenant>/index/}; throws {@link IllegalArgumentException} for a tenant that cannot be a key segment. */
  public static String tenantPrefix(String tenant) {
    String chunks = ChunkKey.tenantPrefix(tenant); // checks the tenant
    return chunks.substring(0, chunks.length() - "chunks/".length()) + INDEX + "/";
  }

  /** {@code <tenant>/index/<period>/}. */
  public static String periodPrefix(String tenant, long period) {
    return tenantPrefix(tenant) + period + "/";
  }

  /** A new, unique object key in a period. */
  static String newKey(String tenant, long period, Kind kind, long nowMillis, long random) {
    return periodPrefix(tenant, period) + kind.letter + "-" + String.format("%016x-%016x", nowMillis, random);
  }

  /** Reads a key back, or empty for anything {@link #newKey} does not make. */
  public static Optional<IndexObjectKey> parse(String key) {
    String[] parts = key.split("/", -1);
    if (parts.length != 4 || !parts[1].equals(INDEX) || !parts[3].matches("[pcr]-[0-9a-f]{16}-[0-9a-f]{16}")) {
      return Optional.empty();
    }
    long period;
    try {
      period = Long.parseLong(parts[2]);
      tenantPrefix(parts[0]);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!parts[2].equals(Long.toString(period))) {
      return Optional.empty(); // "+1" or "007": not written by us
    }
    Kind kind = switch (parts[3].charAt(0)) {
      case 'p' -> Kind.PART;
      case 'c' -> Kind.COMPACTED;
      default -> Kind.RECOMPRESSED;
    };
    return Optional.of(new IndexObjectKey(parts[0], period, kind, key));
  }

  /** The period number of a {@code <tenant>/index/<period>/} prefix, or empty. */
  static Optional<Long> periodOfPrefix(String tenantIndexPrefix, String prefix) {
    if (!prefix.startsWith(tenantIndexPrefix) || !prefix.endsWith("/")) {
      return Optional.empty();
    }
    String n = prefix.substring(tenantIndexPrefix.length(), prefix.length() - 1);
    try {
      long period = Long.parseLong(n);
      return n.equals(Long.toString(period)) ? Optional.of(period) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The number of the period holding {@code nanos}. */
  static long periodOf(long nanos, long periodNanos) {
    return Math.floorDiv(nanos, periodNanos);
  }
}
