package io.fjord.store.index;

import io.fjord.store.ChunkKey;
import io.fjord.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction and retention of the chunk index, the job of the {@code compactor} role. For each
 * (tenant, period) it reads the index objects, and when they are too many (more than
 * {@code max_index_objects_per_period} in the current or previous period, more than one in older
 * ones) or retention removes some chunks, writes one compacted object with their union (each chunk
 * once, expired ones left out) and then a superseded marker naming exactly the objects it read
 * ({@link SupersededMarkers}). A later run deletes those objects, then the marker, once
 * {@code compaction_delete_delay} has passed, so that a reader that listed them just before the
 * compaction still reads them (with a zero delay they are deleted at once, after the new object).
 *
 * <p>Safe with concurrent writers, readers and even another compactor: objects are never modified,
 * a new object is complete before any marker naming what it replaces is written, and a marker names
 * only objects whose contents are in its replacement (a part added meanwhile is not read and stays).
 * Readers and later runs skip an object once they list a marker naming it together with that
 * marker's replacement. A crash leaves either the objects unmarked (compacted again next run, which
 * only duplicates references) or a marker that the next due run settles. Two compactors racing on a
 * period leave two compacted objects with the same chunks, merged on the next run; readers drop the
 * duplicates.
 *
 * <p>Retention (when {@code retention_enabled}, for each tenant whose {@link RetentionPolicy} period
 * is not zero): references whose last entry is older than now minus that tenant's period are left out of the rewritten objects; before that, a
 * retention marker listing their chunk objects is written, and the chunk objects are deleted by a
 * later run once {@code retention_delete_delay} (or {@code compaction_delete_delay}, whichever is longer)
 * has passed. Nothing younger than the period is ever
 * deleted. A reader may still get a reference to a deleted chunk in one narrow case: a writer
 * re-adding an expired chunk while retention deletes it; the querier must treat a missing chunk
 * object as empty (and log it), not fail the query.
 *
 * <p>Recompression (unless {@code recompress_after} is {@code 0s}): after every tenant is compacted,
 * each period that ended more than {@code recompress_after} ago is handed to
 * {@link PeriodRecompressor}, oldest first, until {@code compaction_interval} has passed since the
 * run began. Such periods are not compacted by object count here (recompression folds them into one
 * {@code r-} object, which records that their chunks are done; a compacted {@code c-} object would
 * not); retention still rewrites them, keeping the {@code r-} kind when it read only {@code r-}
 * objects. Due recompression markers (version-2 superseded markers) are settled with the others: the
 * replaced chunks go to a retention marker, or, if the replacement was never written, only the
 * marker goes. With recompression on, two compactors must not run at once on one store.
 *
 * <p>Thread-safe as far as the store is (no state between calls but the recompression totals);
 * {@link #runOnce} is meant to be called by one scheduler thread.
 */
public final class IndexCompactor {
  private static final Logger LOG = LoggerFactory.getLogger(IndexCompactor.class);

  private final ObjectStore store;
  private final CompactorConfig config;
  private final RetentionPolicy retention;
  private final Clock clock;
  private final long periodNanos;
  private final RecompressionStats stats = new RecompressionStats();
  private final PeriodRecompressor recompressor;

  /** A compactor with {@code config.retention_period} for every tenant. */
  public IndexCompactor(ObjectStore store, ChunkIndexConfig indexConfig, CompactorConfig config, Clock clock) {
    this(store, indexConfig, config, RetentionPolicy.uniform(config.retentionPeriod()), clock);
  }

  /**
   * A compactor with a retention period per tenant; {@code retention} is applied only when
   * {@code config.retention_enabled} (its {@code retention_period} is then not used).
   */
  public IndexCompactor(ObjectStore store, ChunkIndexConfig indexConfig, CompactorConfig config,
      RetentionPolicy retention, Clock clock) {
    this(store, indexConfig, config, retention, clock, ByteRateLimiter.ofMb(config.recompressRateMb()),
        ChunkRecompressor.ZSTD);
  }

  /** With the recompression's rate limiter and encoder given (tests). */
  IndexCompactor(ObjectStore store, ChunkIndexConfig indexConfig, CompactorConfig config, RetentionPolicy retention,
      Clock clock, ByteRateLimiter limiter, ChunkRecompressor.Encoder encoder) {
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.periodNanos = indexConfig.periodNanos();
    this.recompressor = new PeriodRecompressor(store, config,
        new ChunkRecompressor(store, config.recompressZstdLevel(), config.recompressBlockSizeMb() << 20, limiter,
            encoder), stats, clock, periodNanos);
  }

  public CompactorConfig config() {
    return config;
  }

  /** Running totals of recompression since this compactor was made. */
  public RecompressionStats recompressionStats() {
    return stats;
  }

  /**
   * Compacts every tenant's index periods that are due and applies retention, then deletes the
   * chunks of retention markers whose delay has passed. Tenants are the top-level prefixes of the
   * store (one delimiter listing), periods the prefixes under {@code <tenant>/index/}: no chunk is
   * listed.
   *
   * @throws io.fjord.store.ObjectStoreUnavailableException when the store fails; the next run
   *     starts over and finds the work still due
   */
  public CompactionReport runOnce() {
    CompactionReport report = CompactionReport.EMPTY;
    List<String> tenants = new ArrayList<>();
    for (String prefix : store.listPrefixes("")) {
      String tenant = prefix.substring(0, prefix.length() - 1);
      if (!validTenant(tenant)) {
        continue; // not ours (e.g. another application's files in a shared bucket)
      }
      tenants.add(tenant);
      report = report.plus(compactTenant(tenant));
    }
    if (config.recompresses()) {
      report = report.plus(recompress(tenants));
    }
    if (report.changedAnything() || !report.failures().isEmpty()) {
      LOG.info("compactor run: {}", report);
    }
    return report;
  }

  /**
   * Recompresses the periods of {@code tenants} that ended more than {@code recompress_after} ago,
   * oldest first, after compaction and retention so that those are never
   * held back by it. New periods are started only within {@code compaction_interval} of the start (the
   * rate limit makes a backlog take a while; the next run goes on with it).
   */
  CompactionReport recompress(List<String> tenants) {
    Instant start = clock.instant();
    Instant stopStarting = start.plus(config.compactionInterval());
    long cutoff = nanos(start) - config.recompressAfter().toNanos();
    CompactionReport report = CompactionReport.EMPTY;
    for (String tenant : tenants) {
      String tenantPrefix = IndexKeys.tenantPrefix(tenant);
      List<Long> periods = new ArrayList<>();
      for (String prefix : store.listPrefixes(tenantPrefix)) {
        IndexKeys.periodOfPrefix(tenantPrefix, prefix).filter(p -> recompressor.mayBeDue(p, cutoff))
            .ifPresent(periods::add);
      }
      periods.sort(null);
      for (long period : periods) {
        if (!clock.instant().isBefore(stopStarting)) {
          LOG.info("compactor: recompression goes on next run (this one reached compaction_interval)");
          return report;
        }
        try {
          report = report.plus(recompressor.recompress(tenant, period, cutoff));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          LOG.info("compactor: recompression interrupted (closing)");
          return report;
        }
      }
    }
    return report;
  }

  /** {@link #runOnce} for one tenant. */
  public CompactionReport compactTenant(String tenant) {
    String tenantPrefix = IndexKeys.tenantPrefix(tenant);
    CompactionReport report = new CompactionReport(1, 0, 0, 0, 0, 0, 0, List.of());
    for (String prefix : store.listPrefixes(tenantPrefix)) {
      var period = IndexKeys.periodOfPrefix(tenantPrefix, prefix);
      if (period.isPresent()) {
        report = report.plus(compactPeriod(tenant, period.get()));
      }
    }
    return report.plus(deleteDueChunks(tenant));
  }

  /** Compacts one (tenant, period) if due, with retention; deletes no chunk (markers do that later). */
  public CompactionReport compactPeriod(String tenant, long period) {
    String prefix = IndexKeys.periodPrefix(tenant, period);
    Instant now = clock.instant();
    long nowNanos = nanos(now);
    Duration retentionPeriod = config.retentionEnabled() ? retention.retentionPeriod(tenant) : Duration.ZERO;
    boolean retains = !retentionPeriod.isZero();
    long cutoff = retains ? nowNanos - retentionPeriod.toNanos() : Long.MIN_VALUE;
    // an entry of this period may be expired only if the period starts before the cutoff
    boolean retentionDue = retains && period <= Math.floorDiv(cutoff - 1, periodNanos);
    boolean recent = period >= IndexKeys.periodOf(nowNanos, periodNanos) - 1;

    List<String> listing = store.list(prefix);
    List<String> keys = listing.stream()
        .filter(k -> IndexKeys.parse(k).filter(p -> p.tenant().equals(tenant) && p.period() == period).isPresent())
        .toList();
    Pending pending = settleMarkers(tenant, period, listing, keys, now.toEpochMilli());
    List<String> live = SupersededMarkers.live(
        keys.stream().filter(k -> !pending.deleted().contains(k)).toList(), pending.markers());
    CompactionReport settled = new CompactionReport(0, 0, 0, 0, pending.deleted().size(), 0, 0, pending.failures());
    // a period old enough for recompression is folded by it into one r- object (which tells it which
    // chunks are done); compacting it here first would lose that
    boolean recompressionFolds = config.recompresses()
        && recompressor.mayBeDue(period, nowNanos - config.recompressAfter().toNanos());
    boolean compactionDue = !recompressionFolds && live.size() > (recent ? config.maxIndexObjectsPerPeriod() : 1);
    if (!compactionDue && !retentionDue || live.isEmpty()) {
      return settled;
    }

    List<String> read = new ArrayList<>(live.size());
    Map<ChunkKey, ChunkRef> union = new LinkedHashMap<>();
    for (String key : live) {
      byte[] bytes = store.get(key).orElse(null);
      if (bytes == null) {
        continue; // deleted by a racing compactor: its contents are in a newer object
      }
      List<ChunkRef> refs;
      try {
        refs = IndexObjectFormat.decode(key, tenant, bytes);
      } catch (IndexFormatException e) {
        LOG.error("compactor: skipping index period {}: {}", prefix, e.getMessage());
        return settled.plus(new CompactionReport(0, 0, read.size(), 0, 0, 0, 0, List.of(e.getMessage())));
      }
      read.add(key);
      for (ChunkRef r : refs) {
        union.putIfAbsent(r.chunk(), r);
      }
    }
    List<ChunkRef> kept = new ArrayList<>(union.size());
    List<ChunkKey> expired = new ArrayList<>();
    for (ChunkRef r : union.values()) {
      if (r.throughNanos() < cutoff) {
        expired.add(r.chunk());
      } else {
        kept.add(r);
      }
    }
    if (expired.isEmpty() && (recompressionFolds || read.size() <= (recent ? config.maxIndexObjectsPerPeriod() : 1))) {
      return settled.plus(new CompactionReport(0, 0, read.size(), 0, 0, 0, 0, List.of())); // nothing to change
    }
    Duration delay = config.compactionDeleteDelay();
    if (!expired.isEmpty()) {
      // readers may still see the expired references in the superseded objects until those go
      Duration chunkDelay = config.retentionDeleteDelay().compareTo(delay) >= 0 ? config.retentionDeleteDelay() : delay;
      long deleteAfter = now.plus(chunkDelay).toEpochMilli();
      store.put(RetentionMarkers.newKey(tenant, deleteAfter, ThreadLocalRandom.current().nextLong()),
          RetentionMarkers.encode(expired));
    }
    int written = 0;
    Optional<String> replacement = Optional.empty();
    if (!kept.isEmpty()) {
      // what only recompressed objects held is still all recompressed (PeriodRecompressor skips it)
      boolean allRecompressed = read.stream()
          .allMatch(k -> IndexKeys.parse(k).map(p -> p.kind() == IndexKeys.Kind.RECOMPRESSED).orElse(false));
      String key = IndexKeys.newKey(tenant, period,
          allRecompressed ? IndexKeys.Kind.RECOMPRESSED : IndexKeys.Kind.COMPACTED, now.toEpochMilli(),
          ThreadLocalRandom.current().nextLong());
      store.put(key, IndexObjectFormat.encode(tenant, kept));
      replacement = Optional.of(key);
      written = 1;
    }
    int deleted = 0;
    if (delay.isZero()) {
      for (String key : read) {
        store.delete(key);
      }
      deleted = read.size();
    } else {
      // written after the replacement: whoever lists the marker with it may skip what it names
      store.put(SupersededMarkers.newKey(tenant, period, now.plus(delay).toEpochMilli(),
          ThreadLocalRandom.current().nextLong()), SupersededMarkers.encode(replacement, read));
    }
    return settled.plus(new CompactionReport(0, 1, read.size(), written, deleted, expired.size(), 0, List.of()));
  }

  /** The superseded markers of a period not yet due, what due ones deleted, and what could not be read. */
  private record Pending(List<SupersededMarkers.Supersession> markers, Set<String> deleted, List<String> failures) {}

  /**
   * Reads the superseded markers of one period listing; for each whose delay has passed, deletes the
   * objects it names and then the marker (a crash in between leaves the marker, and the next run
   * deletes again). An unreadable marker is reported and left alone, and the objects it names are
   * then compacted again, which only duplicates references.
   */
  private Pending settleMarkers(String tenant, long period, List<String> listing, List<String> indexKeys,
      long nowMillis) {
    Set<String> listed = new HashSet<>(indexKeys);
    List<SupersededMarkers.Supersession> notDue = new ArrayList<>();
    Set<String> deleted = new HashSet<>();
    List<String> failures = new ArrayList<>();
    for (String key : listing) {
      var marker = SupersededMarkers.parse(tenant, period, key);
      if (marker.isEmpty()) {
        continue;
      }
      byte[] bytes = store.get(key).orElse(null);
      if (bytes == null) {
        continue; // settled by a racing compactor
      }
      SupersededMarkers.Supersession s;
      try {
        s = SupersededMarkers.decode(key, tenant, period, bytes);
      } catch (IndexFormatException e) {
        LOG.error("compactor: skipping superseded marker: {}", e.getMessage());
        failures.add(e.getMessage());
        continue;
      }
      if (marker.get().deleteAfterMillis() > nowMillis) {
        notDue.add(s);
        continue;
      }
      if (s.writtenFirst() && !listed.contains(s.replacement().orElseThrow())) {
        // a recompression marker whose replacement was never written: the old objects stay in use
        LOG.warn("compactor: recompression marker {} names a replacement that was never written; dropping it", key);
        store.delete(key);
        continue;
      }
      if (!s.chunks().isEmpty()) {
        // the swap happened: the replaced chunk objects go once readers can no longer hold them
        long chunkDelay = config.chunkDeleteDelay().minus(config.compactionDeleteDelay()).toMillis();
        store.put(RetentionMarkers.newKey(tenant, marker.get().deleteAfterMillis() + chunkDelay,
            ThreadLocalRandom.current().nextLong()), RetentionMarkers.encode(s.chunks()));
      }
      for (String old : s.superseded()) {
        store.delete(old);
        if (listed.contains(old)) {
          deleted.add(old);
        }
      }
      store.delete(key);
    }
    return new Pending(notDue, deleted, failures);
  }

  /** Deletes the chunks of every marker of {@code tenant} whose delay has passed, then the marker. */
  CompactionReport deleteDueChunks(String tenant) {
    long nowMillis = clock.millis();
    int deleted = 0;
    List<String> failures = new ArrayList<>();
    for (String key : store.list(RetentionMarkers.prefix(tenant))) {
      var marker = RetentionMarkers.parse(tenant, key);
      if (marker.isEmpty() || marker.get().deleteAfterMillis() > nowMillis) {
        continue;
      }
      byte[] bytes = store.get(key).orElse(null);
      if (bytes == null) {
        continue; // done by a racing compactor
      }
      List<ChunkKey> chunks;
      try {
        chunks = RetentionMarkers.decode(key, tenant, bytes);
      } catch (IndexFormatException e) {
        LOG.error("compactor: skipping retention marker: {}", e.getMessage());
        failures.add(e.getMessage());
        continue;
      }
      for (ChunkKey c : chunks) {
        store.delete(c.key());
      }
      store.delete(key);
      deleted += chunks.size();
    }
    return new CompactionReport(0, 0, 0, 0, 0, 0, deleted, failures);
  }

  private static boolean validTenant(String tenant) {
    try {
      IndexKeys.tenantPrefix(tenant);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
