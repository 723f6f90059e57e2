package io.fjord.schemas.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Readers share the pooled block buffers ({@link BlockScratch}) safely: readers interleaved on one
 * thread and readers on several threads at once each read back exactly their own chunk, and the
 * pool keeps no array above its limits.
 */
class BlockScratchTest {

  /** A chunk of {@code n} entries whose lines and metadata name {@code tag}, in small blocks. */
  private static List<LogEntry> entries(String tag, int n) {
    List<LogEntry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String line = i % 7 == 3 ? tag + " multi\nline " + i : tag + " line " + i + " é".repeat(i % 3);
      Labels md = i % 5 == 0 ? Labels.of("trace", tag + i) : Labels.EMPTY;
      out.add(new LogEntry(1_000L + 10L * i, line, md));
    }
    return out;
  }

  private static byte[] chunk(List<LogEntry> entries, ChunkCodec codec) {
    ChunkEncoder encoder = new ChunkEncoder("t", Labels.of("app", "a"), codec, 512, 3);
    entries.forEach(encoder::append);
    return encoder.finish();
  }

  private static List<LogEntry> readAll(byte[] chunk) {
    List<LogEntry> out = new ArrayList<>();
    ChunkReader.of("c", chunk).entries(ScanDirection.FORWARD).forEachRemaining(out::add);
    return out;
  }

  @Test
  void readersInterleavedOnOneThreadEachReadTheirOwnChunk() {
    List<LogEntry> a = entries("alpha", 400);
    List<LogEntry> b = entries("beta", 300);
    Iterator<LogEntry> ia = ChunkReader.of("a", chunk(a, ChunkCodec.ZSTD)).entries(ScanDirection.FORWARD);
    Iterator<LogEntry> ib = ChunkReader.of("b", chunk(b, ChunkCodec.LZ4)).entries(ScanDirection.BACKWARD);
    List<LogEntry> gotA = new ArrayList<>();
    List<LogEntry> gotB = new ArrayList<>();
    while (ia.hasNext() || ib.hasNext()) { // one entry of each in turn: blocks of both are decoded alternately
      if (ia.hasNext()) {
        gotA.add(ia.next());
      }
      if (ib.hasNext()) {
        gotB.add(ib.next());
      }
    }
    assertThat(gotA).containsExactlyElementsOf(a);
    List<LogEntry> bBackward = new ArrayList<>(b);
    java.util.Collections.reverse(bBackward);
    assertThat(gotB).containsExactlyElementsOf(bBackward);
  }

  @Test
  void readersOnSeveralThreadsAtOnceEachReadTheirOwnChunk() throws Exception {
    int threads = 2 * BlockScratch.POOLED + 1; // more readers at once than the pool keeps
    List<List<LogEntry>> expected = new ArrayList<>();
    List<byte[]> chunks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      expected.add(entries("thread" + t, 200 + 37 * t));
      chunks.add(chunk(expected.get(t), ChunkCodec.ZSTD));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int mine = t;
        results.add(pool.submit(() -> {
          for (int round = 0; round < 20; round++) {
            if (!readAll(chunks.get(mine)).equals(expected.get(mine))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aReaderThatFindsThePoolLentOutKeepsItsOwnArraysAndLeavesThePoolAlone() {
    List<LogEntry> a = entries("gamma", 500);
    byte[] chunk = chunk(a, ChunkCodec.ZSTD);
    assertThat(ChunkReader.of("a", chunk).blocks()).hasSizeGreaterThan(10);
    List<BlockScratch> lent = new ArrayList<>();
    for (BlockScratch s = BlockScratch.poll(); s != null; s = BlockScratch.poll()) {
      lent.add(s);
    }
    try {
      assertThat(lent).hasSize(BlockScratch.POOLED); // made on demand, never more
      assertThat(readAll(chunk)).containsExactlyElementsOf(a);
      assertThat(BlockScratch.poll()).isNull(); // nothing made per block and handed to the pool
    } finally {
      lent.forEach(BlockScratch::release);
    }
    BlockScratch again = BlockScratch.poll(); // given back: lent again
    assertThat(again).isIn(lent);
    BlockScratch.release(again);
  }

  @Test
  void arraysAboveTheLimitsAreNotKept() {
    BlockScratch s = BlockScratch.create();
    s.raw = new byte[BlockScratch.KEEP_RAW_BYTES + 1];
    s.timestamps = new long[BlockScratch.KEEP_ENTRIES + 1];
    s.lineStarts = new int[BlockScratch.KEEP_ENTRIES + 2];
    s.mdStarts = new int[BlockScratch.KEEP_ENTRIES + 2];
    BlockScratch.trim(s);
    assertThat(s.raw).isEmpty();
    assertThat(s.timestamps).isEmpty();
    assertThat(s.lineStarts).isEmpty();
    assertThat(s.mdStarts).isEmpty();

    BlockScratch t = BlockScratch.create();
    t.raw = new byte[BlockScratch.KEEP_RAW_BYTES];
    BlockScratch.trim(t);
    assertThat(t.raw).hasSize(BlockScratch.KEEP_RAW_BYTES); // at the limit: kept
  }
}
