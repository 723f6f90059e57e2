package io.fjord.store.index;

import java.util.ArrayList;
import java.util.List;

/**
 * What one compactor run did, for logs, metrics and tests. Immutable.
 *
 * @param tenants tenants visited
 * @param periodsRewritten (tenant, period) pairs whose index objects were replaced (compacted, or
 *     rewritten without expired chunks)
 * @param objectsRead index objects read
 * @param objectsWritten compacted index objects written
 * @param objectsDeleted index objects deleted (each one read and included in a newer object, or
 *     holding only expired chunks): by an earlier run's superseded marker whose
 *     {@code compaction_delete_delay} has passed, or at once when that delay is zero
 * @param refsExpired chunk references removed from the index by retention (a chunk in two periods counts twice)
 * @param chunksDeleted chunk objects deleted (by markers whose delay has passed)
 * @param failures what was skipped and why (an unreadable index object or marker); the rest went on
 * @param chunksRecompressed chunks rewritten at {@code recompress_zstd_level} and swapped into the index
 * @param recompressedBytesBefore stored bytes of those chunks before
 * @param recompressedBytesAfter stored bytes of their recompressed copies
 * @param recompressFailures chunks left as they were because they could not be recompressed safely
 *     (missing, unreadable, or a copy whose entries differed)
 */
public record CompactionReport(int tenants, int periodsRewritten, int objectsRead, int objectsWritten,
    int objectsDeleted, int refsExpired, int chunksDeleted, List<String> failures, int chunksRecompressed,
    long recompressedBytesBefore, long recompressedBytesAfter, int recompressFailures) {

  public CompactionReport {
    failures = List.copyOf(failures);
  }

  /** A report of compaction and retention only. */
  public CompactionReport(int tenants, int periodsRewritten, int objectsRead, int objectsWritten, int objectsDeleted,
      int refsExpired, int chunksDeleted, List<String> failures) {
    this(tenants, periodsRewritten, objectsRead, objectsWritten, objectsDeleted, refsExpired, chunksDeleted, failures,
        0, 0, 0, 0);
  }

  static final CompactionReport EMPTY = new CompactionReport(0, 0, 0, 0, 0, 0, 0, List.of());

  CompactionReport plus(CompactionReport o) {
    List<String> f = new ArrayList<>(failures);
    f.addAll(o.failures);
    return new CompactionReport(tenants + o.tenants, periodsRewritten + o.periodsRewritten, objectsRead + o.objectsRead,
        objectsWritten + o.objectsWritten, objectsDeleted + o.objectsDeleted, refsExpired + o.refsExpired,
        chunksDeleted + o.chunksDeleted, f, chunksRecompressed + o.chunksRecompressed,
        recompressedBytesBefore + o.recompressedBytesBefore, recompressedBytesAfter + o.recompressedBytesAfter,
        recompressFailures + o.recompressFailures);
  }

  /** Whether the run changed anything in the store. */
  public boolean changedAnything() {
    return periodsRewritten + objectsWritten + objectsDeleted + chunksDeleted + chunksRecompressed > 0;
  }
}
