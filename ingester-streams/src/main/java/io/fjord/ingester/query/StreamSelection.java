package io.fjord.ingester.query;

import io.fjord.ingester.chunk.PartitionMemory;
import io.fjord.ingester.chunk.StreamKey;
import io.fjord.ingester.chunk.StreamMemory;
import io.fjord.ingester.index.IndexKeys;
import io.fjord.ingester.index.IndexedSeries;
import io.fjord.ingester.index.StreamIndex;
import io.fjord.logql.ast.LabelMatcher;
import io.fjord.logql.ast.MatchType;
import io.fjord.logql.eval.StreamSelector;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the streams of one tenant in one partition that match a selector and have data in a time
 * range, using the inverted index. Matchers that require their label to be present (those that do
 * not accept the empty string) narrow the candidates through postings, equality first; the full
 * selector is then checked against each candidate's labels. A stream the index knows but memory
 * does not hold (a window during start-up or, later, after a flush) is skipped: the index never
 * makes a query return a stream without data. Immutable; compile once per query and share.
 */
final class StreamSelection {
  private final StreamSelector selector;
  /** Matchers that need their label present, equality first, each with its own compiled selector. */
  private final List<LabelMatcher> narrowing = new ArrayList<>();
  private final List<StreamSelector> narrowingSelectors = new ArrayList<>();

  StreamSelection(List<LabelMatcher> matchers) {
    this.selector = StreamSelector.of(matchers);
    List<LabelMatcher> sorted = new ArrayList<>(matchers);
    sorted.sort(Comparator.comparing((LabelMatcher m) -> m.type() != MatchType.EQ));
    for (LabelMatcher m : sorted) {
      StreamSelector single = StreamSelector.of(List.of(m));
      if (!single.matches(Labels.EMPTY)) {
        narrowing.add(m);
        narrowingSelectors.add(single);
      }
    }
  }

  /** Every stream, for requests without a selector. */
  static StreamSelection all() {
    return new StreamSelection(List.of());
  }

  /** The matching streams of {@code tenant} in the partition with data in {@code [start, end)}. */
  List<SelectedStream> select(StreamIndex index, PartitionMemory memory, String tenant, long start, long end) {
    List<IndexedSeries> candidates;
    if (narrowing.isEmpty()) {
      candidates = index.series(tenant);
    } else {
      Set<Long> fingerprints = null;
      for (int i = 0; i < narrowing.size() && (fingerprints == null || !fingerprints.isEmpty()); i++) {
        Set<Long> these = postings(index, tenant, narrowing.get(i), narrowingSelectors.get(i));
        if (fingerprints == null) {
          fingerprints = these;
        } else {
          fingerprints.retainAll(these);
        }
      }
      candidates = new ArrayList<>();
      for (long fp : fingerprints) {
        candidates.addAll(index.series(tenant, fp));
      }
    }
    List<SelectedStream> out = new ArrayList<>();
    for (IndexedSeries s : candidates) {
      if (!s.overlaps(start, end) || !selector.matches(s.labels())) {
        continue;
      }
      StreamMemory m = memory.get(new StreamKey(tenant, s.labels(), s.fingerprint()));
      if (m != null && m.overlaps(start, end)) {
        out.add(new SelectedStream(tenant, s.labels(), m));
      }
    }
    return out;
  }

  private static Set<Long> postings(StreamIndex index, String tenant, LabelMatcher m, StreamSelector single) {
    Set<Long> out = new HashSet<>();
    if (m.type() == MatchType.EQ) {
      for (IndexKeys.Posting p : index.postings(tenant, m.name(), m.value())) {
        out.add(p.fingerprint());
      }
      return out;
    }
    Labels last = null;
    boolean lastMatched = false;
    for (IndexKeys.Posting p : index.postings(tenant, m.name())) {
      // postings of one value are adjacent: evaluate the matcher once per value
      if (last == null || !last.get(m.name()).equals(p.value())) {
        last = Labels.of(m.name(), p.value());
        lastMatched = single.matches(last);
      }
      if (lastMatched) {
        out.add(p.fingerprint());
      }
    }
    return out;
  }
}
