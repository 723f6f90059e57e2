package io.fjord.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.index.ChunkIndexConfig;
import io.fjord.store.index.ChunkRef;
import io.fjord.store.index.ObjectStoreChunkIndex;
import io.fjord.store.local.LocalObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storer against a real local store and index: it writes what is missing, and only that. */
class ChunkStorerTest {
  private static final long DAY = 86_400_000_000_000L;
  private static final ChunkCutter.Cut CUT = new ChunkCutter.Cut("fake", Labels.of("app", "a"),
      List.of(new LogEntry(DAY + 10, "first"), new LogEntry(DAY + 20, "second")));

  @TempDir Path dir;
  private LocalObjectStore store;
  private ObjectStoreChunkIndex index;

  @BeforeEach
  void open() {
    store = new LocalObjectStore(dir);
    index = ObjectStoreChunkIndex.open(store, ChunkIndexConfig.defaults(), Clock.systemUTC());
  }

  @AfterEach
  void close() {
    index.close();
    store.close();
  }

  private ChunkStorer storer() {
    return new ChunkStorer(store, index, ChunkCodec.DEFAULT, 1024, ChunkIndexConfig.defaults().periodNanos());
  }

  @Test
  void aNewChunkIsStoredUnderItsKeyAndIndexedOnFlush() {
    ChunkStorer s = storer();
    ChunkStorer.Result r = s.store(CUT);
    assertThat(r.outcome()).isEqualTo(ChunkStorer.Outcome.WRITTEN);
    assertThat(r.bytesWritten()).isPositive();
    byte[] object = store.get(r.ref().key()).orElseThrow();
    assertThat(object).hasSize((int) r.bytesWritten());
    assertThat(ChunkReader.of("t", object).footer().minTs()).isEqualTo(DAY + 10);
    assertThat(index.chunks("fake", DAY, 2 * DAY)).isEmpty(); // added in batches
    s.flush();
    assertThat(index.chunks("fake", DAY, 2 * DAY)).extracting(ChunkRef::key).containsExactly(r.ref().key());
  }

  @Test
  void aChunkInTheStoreAndTheIndexWritesNothingAgain() {
    ChunkStorer first = storer();
    first.store(CUT);
    first.flush();
    List<String> before = store.list("");
    ChunkStorer.Result again = storer().store(CUT);
    assertThat(again.outcome()).isEqualTo(ChunkStorer.Outcome.ALREADY_STORED);
    assertThat(again.bytesWritten()).isZero();
    assertThat(store.list("")).isEqualTo(before);
  }

  @Test
  void aChunkMissingFromOneOfTheTwoGetsOnlyThatOne() {
    ChunkStorer first = storer();
    ChunkRef ref = first.store(CUT).ref();
    first.flush();
    store.delete(ref.key()); // the object lost, its reference kept
    ChunkStorer.Result restored = storer().store(CUT);
    assertThat(restored.outcome()).isEqualTo(ChunkStorer.Outcome.WRITTEN);
    assertThat(store.get(ref.key())).isPresent();
    List<String> indexObjects = store.list("fake/index/");
    assertThat(indexObjects).hasSize(1);
    ChunkStorer s = storer();
    s.store(CUT);
    s.flush();
    assertThat(store.list("fake/index/")).as("no index part for a reference already there").isEqualTo(indexObjects);
  }
}
