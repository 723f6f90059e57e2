package io.fjord.store;

import io.fjord.schemas.chunk.ChunkFooter;
import io.fjord.schemas.labels.Fingerprint;
import java.util.zip.CRC32C;

/**
 * The object key of a flushed chunk, derived only from the chunk itself, so the same chunk always
 * gets the same key and a retried flush overwrites its first attempt instead of making a second
 * object:
 *
 * <pre>
 * &lt;tenant&gt;/chunks/&lt;fingerprint&gt;/&lt;from&gt;-&lt;through&gt;-&lt;checksum&gt;
 *   fingerprint  the stream's 64-bit fingerprint, 16 lower-case hex digits
 *   from         the chunk's first entry timestamp (Unix ns), 16 hex digits
 *   through      the chunk's last entry timestamp (Unix ns), 16 hex digits
 *   checksum     CRC32C of the whole chunk object, 8 hex digits
 * e.g. fake/chunks/d2b371819297f98a/18e997c544a70000-18e997d0f0a3c2ff-0fb97bcc
 * </pre>
 *
 * Grouped by tenant (a tenant's chunks share a prefix, so retention and deletion list one tenant)
 * and then by stream; within a stream, keys sort by start time. Fixed-width hex keeps the order of
 * non-negative timestamps. The checksum tells apart two different chunks of one stream that span the
 * same times. Immutable.
 */
public record ChunkKey(String tenant, long fingerprint, long fromNanos, long throughNanos, int checksum) {

  public ChunkKey {
    checkTenant(tenant);
    if (fromNanos > throughNanos) {
      throw new IllegalArgumentException("chunk from " + fromNanos + " is after its through " + throughNanos);
    }
  }

  /** The key of an encoded chunk: tenant, stream, span from its footer; checksum over its bytes. */
  public static ChunkKey of(ChunkFooter footer, byte[] chunk) {
    CRC32C crc = new CRC32C();
    crc.update(chunk);
    return new ChunkKey(footer.tenant(), Fingerprint.of(footer.labels()), footer.minTs(), footer.maxTs(),
        (int) crc.getValue());
  }

  /** The object key. */
  public String key() {
    return streamPrefix(tenant, fingerprint) + String.format("%016x-%016x-%08x", fromNanos, throughNanos, checksum);
  }

  @Override
  public String toString() {
    return key();
  }

  /** The prefix of every chunk of {@code tenant}: {@code <tenant>/chunks/}. */
  public static String tenantPrefix(String tenant) {
    return checkTenant(tenant) + "/chunks/";
  }

  /** The prefix of every chunk of one stream: {@code <tenant>/chunks/<fingerprint>/}. */
  public static String streamPrefix(String tenant, long fingerprint) {
    return tenantPrefix(tenant) + Fingerprint.hex(fingerprint) + "/";
  }

  /** Reads a key back; throws {@link IllegalArgumentException} for anything not made by {@link #key()}. */
  public static ChunkKey parse(String key) {
    String[] parts = key.split("/", -1);
    if (parts.length != 4 || !parts[1].equals("chunks") || parts[2].length() != 16
        || !parts[3].matches("[0-9a-f]{16}-[0-9a-f]{16}-[0-9a-f]{8}")) {
      throw new IllegalArgumentException("not a chunk key: " + key);
    }
    try {
      return new ChunkKey(parts[0], Long.parseUnsignedLong(parts[2], 16),
          Long.parseUnsignedLong(parts[3].substring(0, 16), 16), Long.parseUnsignedLong(parts[3].substring(17, 33), 16),
          Integer.parseUnsignedInt(parts[3].substring(34), 16));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a chunk key: " + key, e);
    }
  }

  /** A tenant must be one key segment: not empty, ".", "..", nor holding '/', '\' or control characters; names starting
   * with ".fjord" are reserved for the stores' own use (the local store's temporary directory). */
  static String checkTenant(String tenant) {
    if (tenant == null || tenant.isEmpty() || tenant.equals(".") || tenant.equals("..") || tenant.contains("/")
        || tenant.startsWith(".fjord")) {
      throw new IllegalArgumentException("tenant cannot name an object key segment: \"" + tenant + "\"");
    }
    ObjectKeys.check(tenant);
    return tenant;
  }
}
