package io.fjord.store.index;

import io.fjord.store.ChunkKey;
import io.fjord.store.ObjectStore;
import io.fjord.store.ObjectStoreUnavailableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@link ChunkIndex} kept in an {@link ObjectStore}, by tenant and index period (a UTC day by
 * default; key layout in {@link IndexKeys}, object format in {@link IndexObjectFormat}).
 *
 * <p>{@link #add} groups the references by (tenant, period), listing a chunk in every period its
 * span touches, and writes one new immutable part object per group: writers never read or modify
 * what others wrote, so any number of ingesters add at once. {@link #chunks} lists the prefix of
 * each period in the range, reads the objects, keeps the chunks that overlap the range and drops
 * duplicates (the same chunk added twice, or listed in a part and in a compacted object).
 *
 * <p>Caching: parsed objects are kept by key (immutable, so never stale) in an LRU bounded by
 * {@code index_cache_max_size_mb}; a period's list of keys is reused for {@code index_cache_validity}
 * unless the period is the current or the previous one, which are listed on every query so that a
 * fresh flush is seen at once.
 *
 * <p>Compaction: the objects a compaction folded into a newer one stay for
 * {@code compaction_delete_delay}, and a superseded marker in the period names them and their
 * replacement ({@link SupersededMarkers}); a listing holding both the marker and the replacement
 * skips them, while a reader that listed before the compaction still reads them. An object listed
 * but gone when read (a listing older than that delay, or another race) makes the period be listed
 * again, up to 5 times with a short growing backoff; its contents are in a newer object.
 *
 * <p>The periods of a query are listed and read in parallel, up to 8 at a time, on threads the
 * index owns. Thread-safe. Closing it stops those threads; it does not close the store, which the
 * caller owns.
 */
public final class ObjectStoreChunkIndex implements ChunkIndex {
  /** How often a period is listed again when its objects keep vanishing under the reader. */
  static final int MAX_LIST_ATTEMPTS = 5;
  /** The wait before the second listing of a period; it doubles for each further one. */
  static final long FIRST_RELIST_BACKOFF_MILLIS = 10;
  /** Past this many periods a query lists the tenant's periods instead of trying each number. */
  static final int WIDE_RANGE_PERIODS = 64;
  /** A chunk spanning more periods than this is refused by {@link #add} (a day-period chunk of 2.7 years). */
  static final int MAX_PERIODS_PER_CHUNK = 1000;
  /** Past this many cached listings, expired ones are dropped (each is a few keys of one period). */
  static final int MAX_CACHED_LISTS = 4096;
  /** How many periods one reader lists and reads at once (store round trips, not CPU). */
  static final int READ_PARALLELISM = 8;

  private final ObjectStore store;
  private final ChunkIndexConfig config;
  private final Clock clock;
  private final long periodNanos;
  private final IndexObjectCache cache;
  private final Map<String, CachedList> lists = new ConcurrentHashMap<>();
  private final Map<String, SupersededMarkers.Supersession> markers = new ConcurrentHashMap<>();
  private final ExecutorService readers;

  private record CachedList(List<String> keys, long listedAtMillis) {}

  private ObjectStoreChunkIndex(ObjectStore store, ChunkIndexConfig config, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.periodNanos = config.periodNanos();
    this.cache = new IndexObjectCache(config.cacheMaxBytes());
    AtomicInteger n = new AtomicInteger();
    this.readers = Executors.newFixedThreadPool(READ_PARALLELISM, r -> {
      Thread t = new Thread(r, "fjord-index-read-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** An index in {@code store}, which the caller keeps open for as long as the index is used. */
  public static ObjectStoreChunkIndex open(ObjectStore store, ChunkIndexConfig config, Clock clock) {
    return new ObjectStoreChunkIndex(store, config, clock);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Writes one part object per (tenant, period) the references touch; a failure part way leaves
   * the parts already written, which a retry of the whole list duplicates harmlessly.
   *
   * @throws IllegalArgumentException when a chunk spans more than 1000 index periods (not retryable)
   */
  @Override
  public void add(List<ChunkRef> refs) {
    Map<String, Map<Long, List<ChunkRef>>> groups = new TreeMap<>();
    for (ChunkRef r : refs) {
      Map<Long, List<ChunkRef>> byPeriod = groups.computeIfAbsent(r.tenant(), t -> new TreeMap<>());
      long first = IndexKeys.periodOf(r.fromNanos(), periodNanos);
      long last = IndexKeys.periodOf(r.throughNanos(), periodNanos);
      if (last - first >= MAX_PERIODS_PER_CHUNK) {
        throw new IllegalArgumentException("chunk " + r.key() + " spans " + (last - first + 1)
            + " index periods, more than the " + MAX_PERIODS_PER_CHUNK + " the index takes");
      }
      for (long p = first; p <= last; p++) {
        byPeriod.computeIfAbsent(p, x -> new ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<String, Map<Long, List<ChunkRef>>> t : groups.entrySet()) {
      for (Map.Entry<Long, List<ChunkRef>> p : t.getValue().entrySet()) {
        String key = IndexKeys.newKey(t.getKey(), p.getKey(), IndexKeys.Kind.PART, clock.millis(),
            ThreadLocalRandom.current().nextLong());
        byte[] bytes = IndexObjectFormat.encode(t.getKey(), p.getValue());
        store.put(key, bytes);
        cache.put(key, dedup(p.getValue()), bytes.length);
        lists.remove(IndexKeys.periodPrefix(t.getKey(), p.getKey())); // our own write is seen at once
      }
    }
  }

  @Override
  public List<ChunkRef> chunks(String tenant, long startNanos, long endNanos) {
    String tenantPrefix = IndexKeys.tenantPrefix(tenant);
    if (endNanos <= startNanos) {
      return List.of();
    }
    long first = IndexKeys.periodOf(startNanos, periodNanos);
    long last = IndexKeys.periodOf(endNanos - 1, periodNanos);
    List<Long> periods = new ArrayList<>();
    if (last - first >= WIDE_RANGE_PERIODS) {
      for (String prefix : store.listPrefixes(tenantPrefix)) {
        IndexKeys.periodOfPrefix(tenantPrefix, prefix).filter(p -> p >= first && p <= last).ifPresent(periods::add);
      }
    } else {
      for (long p = first; p <= last; p++) {
        periods.add(p);
      }
    }
    Map<ChunkKey, ChunkRef> out = new LinkedHashMap<>();
    for (List<List<ChunkRef>> period : readPeriods(tenant, periods)) {
      for (List<ChunkRef> object : period) {
        for (ChunkRef r : object) {
          if (r.overlaps(startNanos, endNanos)) {
            out.putIfAbsent(r.chunk(), r);
          }
        }
      }
    }
    return List.copyOf(out.values());
  }

  /** The objects of each period, in order; periods are read in parallel on the reader pool. */
  private List<List<List<ChunkRef>>> readPeriods(String tenant, List<Long> periods) {
    if (periods.size() == 1) {
      return List.of(objectsOf(tenant, periods.get(0)));
    }
    List<CompletableFuture<List<List<ChunkRef>>>> futures = new ArrayList<>(periods.size());
    for (long p : periods) {
      futures.add(CompletableFuture.supplyAsync(() -> objectsOf(tenant, p), readers));
    }
    List<List<List<ChunkRef>>> out = new ArrayList<>(periods.size());
    try {
      for (CompletableFuture<List<List<ChunkRef>>> f : futures) {
        out.add(f.join());
      }
    } catch (CompletionException e) {
      futures.forEach(f -> f.cancel(false));
      if (e.getCause() instanceof RuntimeException re) {
        throw re; // the store's or the format's own typed error
      }
      throw e;
    }
    return out;
  }

  /** The parsed contents of every index object of one period, listing again if one vanished meanwhile. */
  private List<List<ChunkRef>> objectsOf(String tenant, long period) {
    String prefix = IndexKeys.periodPrefix(tenant, period);
    boolean mayUseCachedList = period < IndexKeys.periodOf(nanosNow(), periodNanos) - 1
        && !config.indexCacheValidity().isZero();
    for (int attempt = 0; attempt < MAX_LIST_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        backoff(attempt);
      }
      List<String> keys = listed(tenant, period, mayUseCachedList && attempt == 0);
      List<List<ChunkRef>> objects = new ArrayList<>(keys.size());
      boolean vanished = false;
      for (String key : keys) {
        List<ChunkRef> refs = read(tenant, key);
        if (refs == null) {
          vanished = true;
          break;
        }
        objects.add(refs);
      }
      if (!vanished) {
        return objects;
      }
      lists.remove(prefix);
    }
    throw new ObjectStoreUnavailableException("chunk index of " + prefix + " kept changing while being read ("
        + MAX_LIST_ATTEMPTS + " listings); try again", null);
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(FIRST_RELIST_BACKOFF_MILLIS << (attempt - 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ObjectStoreUnavailableException("interrupted while listing the chunk index again", e);
    }
  }

  /** The index objects of a period to read: listed, less those superseded by a compaction. */
  private List<String> listed(String tenant, long period, boolean mayUseCache) {
    String prefix = IndexKeys.periodPrefix(tenant, period);
    long now = clock.millis();
    if (mayUseCache) {
      CachedList c = lists.get(prefix);
      if (c != null && now - c.listedAtMillis() < config.indexCacheValidity().toMillis()) {
        return c.keys();
      }
    }
    List<String> listing = store.list(prefix);
    List<String> keys = SupersededMarkers.live(
        listing.stream().filter(k -> IndexKeys.parse(k).isPresent()).toList(), supersessions(tenant, period, listing));
    if (mayUseCache) {
      if (lists.size() >= MAX_CACHED_LISTS) {
        long validity = config.indexCacheValidity().toMillis();
        lists.values().removeIf(c -> now - c.listedAtMillis() >= validity);
        if (lists.size() >= MAX_CACHED_LISTS) {
          lists.clear(); // all still valid: start over rather than grow without bound
        }
      }
      lists.put(prefix, new CachedList(keys, now));
    }
    return keys;
  }

  /**
   * The superseded markers of one listing, from the cache or the store (immutable, like index
   * objects). A marker gone meanwhile, or unreadable, is left out: the objects it names are then
   * read too, which only duplicates references.
   */
  private List<SupersededMarkers.Supersession> supersessions(String tenant, long period, List<String> listing) {
    List<SupersededMarkers.Supersession> out = new ArrayList<>();
    for (String key : listing) {
      if (SupersededMarkers.parse(tenant, period, key).isEmpty()) {
        continue;
      }
      SupersededMarkers.Supersession s = markers.get(key);
      if (s == null) {
        byte[] bytes = store.get(key).orElse(null);
        if (bytes == null) {
          continue;
        }
        try {
          s = SupersededMarkers.decode(key, tenant, period, bytes);
        } catch (IndexFormatException e) {
          continue;
        }
        if (markers.size() >= MAX_CACHED_LISTS) {
          markers.clear(); // markers live for minutes: start over rather than grow without bound
        }
        markers.put(key, s);
      }
      out.add(s);
    }
    return out;
  }

  /** One object's references, from the cache or the store; null when the object is gone. */
  private List<ChunkRef> read(String tenant, String key) {
    List<ChunkRef> cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    byte[] bytes = store.get(key).orElse(null);
    if (bytes == null) {
      return null;
    }
    List<ChunkRef> refs = IndexObjectFormat.decode(key, tenant, bytes);
    cache.put(key, refs, bytes.length);
    return refs;
  }

  private long nanosNow() {
    java.time.Instant now = clock.instant();
    return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
  }

  private static List<ChunkRef> dedup(List<ChunkRef> refs) {
    Map<ChunkKey, ChunkRef> unique = new LinkedHashMap<>();
    for (ChunkRef r : refs) {
      unique.putIfAbsent(r.chunk(), r);
    }
    return List.copyOf(unique.values());
  }

  /** The number of parsed objects cached now (for tests and metrics). */
  int cachedObjects() {
    return cache.size();
  }

  @Override
  public void close() {
    readers.shutdownNow();
    lists.clear();
    markers.clear();
  }
}
