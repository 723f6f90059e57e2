package io.fjord.logql.exec;

import io.fjord.logql.eval.LogLine;
import io.fjord.logql.eval.LogPipeline;
import io.fjord.logql.eval.StreamPipeline;
import io.fjord.schemas.ingester.IngesterProtocol.Entry;
import io.fjord.schemas.ingester.IngesterProtocol.StreamResult;
import io.fjord.schemas.labels.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs a log query over streams ({@link EntryIterator}s, from memory chunks or chunk objects): walks every stream's entries in the asked direction,
 * passes each through the pipeline bound to that stream, and merges all streams by timestamp so
 * that the answer is the first {@code limit} entries in that direction across all streams. Entries
 * are grouped by the labels the pipeline gives them (a parser stage can split one stream into
 * several). Streams are walked lazily, so blocks beyond the limit are never decompressed (when the
 * iterators decode lazily). It counts the entries it read, and the bytes of their lines, before the
 * pipeline ({@link #entriesScanned}, {@link #bytesScanned}): Loki's "lines/bytes processed".
 * Single-threaded: one instance per query.
 */
public final class LogMerge {
  private final LogPipeline pipeline;
  private final boolean forward;
  private final PriorityQueue<Walker> queue;
  private final List<Walker> walkers = new ArrayList<>();

  /**
   * @param forward oldest first; every iterator added must walk in this direction and yield only
   *     entries of the query's range
   */
  public LogMerge(LogPipeline pipeline, boolean forward) {
    this.pipeline = pipeline;
    this.forward = forward;
    Comparator<Walker> byTs = forward
        ? Comparator.comparingLong((Walker w) -> w.ts)
        : Comparator.comparingLong((Walker w) -> w.ts).reversed();
    this.queue = new PriorityQueue<>(byTs.thenComparing((Walker w) -> w.tenant).thenComparing(w -> w.labels));
  }

  /** Adds one stream's entries, walked in the merge's direction, to the merge. */
  public void add(String tenant, Labels labels, EntryIterator entries) {
    Walker w = new Walker(tenant, labels, entries, pipeline.forStream(labels));
    walkers.add(w);
    if (w.advance()) {
      queue.add(w);
    }
  }

  /** The first {@code limit} entries across all added streams, grouped by tenant and output labels. */
  public List<StreamResult> take(int limit) {
    Map<Group, List<Entry>> groups = new LinkedHashMap<>();
    int taken = 0;
    while (taken < limit && !queue.isEmpty()) {
      Walker w = queue.poll();
      groups.computeIfAbsent(new Group(w.tenant, w.current.labels()), g -> new ArrayList<>())
          .add(new Entry(w.ts, w.current.line()));
      taken++;
      if (w.advance()) {
        queue.add(w);
      }
    }
    List<StreamResult> out = new ArrayList<>(groups.size());
    groups.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(Group::tenant).thenComparing(Group::labels)))
        .forEach(e -> out.add(new StreamResult(e.getKey().tenant(), e.getKey().labels().toMap(), e.getValue())));
    return out;
  }

  /** Entries read so far from every stream, before the pipeline (those a prefilter skipped included). */
  public long entriesScanned() {
    long n = 0;
    for (Walker w : walkers) {
      n += w.entries + w.cursor.skippedEntries();
    }
    return n;
  }

  /** The UTF-8 bytes of the lines counted by {@link #entriesScanned}. */
  public long bytesScanned() {
    long n = 0;
    for (Walker w : walkers) {
      n += w.bytes + w.cursor.skippedBytes();
    }
    return n;
  }

  /**
   * The first {@code limit} entries in the direction across answers already cut to the limit each
   * (e.g. one merge per partition, run in parallel), regrouped by tenant and labels as {@link #take}
   * groups them; at equal timestamps, tenant and then labels decide, as in the merge. Pure.
   */
  public static List<StreamResult> firstOf(List<List<StreamResult>> answers, int limit, boolean forward) {
    record Item(String tenant, Labels labels, Map<String, String> labelMap, Entry entry) {}
    List<Item> items = new ArrayList<>();
    for (List<StreamResult> answer : answers) {
      for (StreamResult s : answer) {
        Labels labels = Labels.of(s.labels());
        for (Entry e : s.entries()) {
          items.add(new Item(s.tenant(), labels, s.labels(), e));
        }
      }
    }
    Comparator<Item> byTs = Comparator.comparingLong(i -> i.entry().ts());
    items.sort((forward ? byTs : byTs.reversed()).thenComparing(Item::tenant).thenComparing(Item::labels));
    Map<Group, List<Entry>> groups = new LinkedHashMap<>();
    Map<Group, Map<String, String>> labelMaps = new LinkedHashMap<>();
    for (Item i : items.subList(0, Math.min(limit, items.size()))) {
      Group g = new Group(i.tenant(), i.labels());
      groups.computeIfAbsent(g, k -> new ArrayList<>()).add(i.entry());
      labelMaps.putIfAbsent(g, i.labelMap());
    }
    List<StreamResult> out = new ArrayList<>(groups.size());
    groups.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(Group::tenant).thenComparing(Group::labels)))
        .forEach(e -> out.add(new StreamResult(e.getKey().tenant(), labelMaps.get(e.getKey()), e.getValue())));
    return out;
  }

  private record Group(String tenant, Labels labels) {}

  /** One stream's cursor with its pipeline, positioned on its next entry that passes the pipeline. */
  private static final class Walker {
    final String tenant;
    final Labels labels;
    final EntryIterator cursor;
    final StreamPipeline pipeline;
    long ts;
    LogLine current;
    long entries;
    long bytes;

    Walker(String tenant, Labels labels, EntryIterator cursor, StreamPipeline pipeline) {
      this.tenant = tenant;
      this.labels = labels;
      this.cursor = cursor;
      this.pipeline = pipeline;
    }

    boolean advance() {
      while (cursor.next()) {
        entries++;
        bytes += cursor.lineBytes();
        LogLine l = pipeline.process(cursor.ts(), cursor.line(), cursor.metadata());
        if (l != null) {
          ts = cursor.ts();
          current = l;
          return true;
        }
      }
      return false;
    }
  }
}
