package io.fjord.querier.source.store;

import io.fjord.logql.ast.LabelMatcher;
import io.fjord.logql.eval.StreamSelector;
import io.fjord.schemas.labels.Labels;
import io.fjord.store.ObjectStoreUnavailableException;
import io.fjord.store.index.ChunkIndex;
import io.fjord.store.index.ChunkRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds the flushed chunks of a query through the chunk index: for each asked tenant, the chunks
 * overlapping {@code [start, end)} whose stream labels match the selector, grouped by stream
 * (tenant and labels, not the fingerprint, so that two streams whose fingerprints collide stay
 * apart). A reference of another tenant than the one asked for is dropped, whatever the index says.
 * Stateless; thread-safe.
 */
final class ChunkSelection {
  private static final Comparator<ChunkRef> BY_TIME = Comparator.comparingLong(ChunkRef::fromNanos)
      .thenComparingLong(ChunkRef::throughNanos)
      .thenComparing(ChunkRef::key);

  private final ChunkIndex index;
  private final Object storeName;

  ChunkSelection(ChunkIndex index, Object storeName) {
    this.index = index;
    this.storeName = storeName;
  }

  /** Every chunk of the tenants overlapping the range (each once), of streams matching {@code matchers}. */
  List<ChunkRef> refs(List<String> tenants, long start, long end, List<LabelMatcher> matchers) {
    StreamSelector selector = StreamSelector.of(matchers);
    List<ChunkRef> out = new ArrayList<>();
    if (end <= start) {
      return out;
    }
    for (String tenant : new LinkedHashSet<>(tenants)) {
      Set<String> seen = new HashSet<>();
      for (ChunkRef ref : chunks(tenant, start, end)) {
        if (ref.tenant().equals(tenant) && ref.overlaps(start, end) && selector.matches(ref.labels())
            && seen.add(ref.key())) {
          out.add(ref);
        }
      }
    }
    return out;
  }

  /** The selected chunks grouped by stream; streams sorted by tenant then labels. */
  List<StreamChunks> streams(List<String> tenants, long start, long end, List<LabelMatcher> matchers) {
    Map<String, Map<Labels, List<ChunkRef>>> byTenant = new TreeMap<>();
    for (ChunkRef ref : refs(tenants, start, end, matchers)) {
      byTenant.computeIfAbsent(ref.tenant(), t -> new TreeMap<>())
          .computeIfAbsent(ref.labels(), l -> new ArrayList<>())
          .add(ref);
    }
    List<StreamChunks> out = new ArrayList<>();
    byTenant.forEach((tenant, streams) -> streams.forEach((labels, refs) -> {
      refs.sort(BY_TIME);
      out.add(new StreamChunks(tenant, labels, refs));
    }));
    return out;
  }

  private List<ChunkRef> chunks(String tenant, long start, long end) {
    try {
      return index.chunks(tenant, start, end);
    } catch (ObjectStoreUnavailableException e) {
      throw ChunkStoreException.unavailable(storeName, "reading the chunk index of tenant " + tenant, e);
    }
  }
}
