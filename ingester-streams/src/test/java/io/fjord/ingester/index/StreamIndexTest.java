package io.fjord.ingester.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index on a real RocksDB store, as the topology creates it. */
class StreamIndexTest {
  @TempDir
  Path stateDir;
  private KeyValueStore<Bytes, byte[]> store;
  private StreamIndex index;

  @BeforeEach
  void open() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "index-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(io.fjord.ingester.stream.DeadLetterHandlers.GLOBAL_HANDLER_CONFIG, "true");
    MockProcessorContext<Void, Void> context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
    store = StreamIndex.storeBuilder().build();
    store.init(context.getStateStoreContext(), store);
    index = new StreamIndex(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void findsStreamsByPostingAndSeries() {
    index.add("t", 1, Labels.of("app", "api", "env", "prod"), 10, 20);
    index.add("t", 2, Labels.of("app", "web", "env", "prod"), 30, 40);
    index.add("t", 3, Labels.of("apple", "api"), 50, 60);

    assertThat(index.postings("t", "app", "api")).extracting(IndexKeys.Posting::fingerprint).containsExactly(1L);
    assertThat(index.postings("t", "env", "prod")).extracting(IndexKeys.Posting::fingerprint)
        .containsExactlyInAnyOrder(1L, 2L);
    assertThat(index.postings("t", "app")).extracting(IndexKeys.Posting::value).containsExactlyInAnyOrder("api", "web");
    assertThat(index.series("t", 2)).containsExactly(
        new IndexedSeries("t", 2, Labels.of("app", "web", "env", "prod"), 30, 40));
    assertThat(index.series("t")).hasSize(3);
  }

  @Test
  void tenantsNeverSeeEachOther() {
    index.add("a", 1, Labels.of("app", "x"), 1, 2);
    index.add("ab", 1, Labels.of("app", "x"), 1, 2);
    index.add("b", 2, Labels.of("app", "x"), 1, 2);

    assertThat(index.series("a")).extracting(IndexedSeries::tenant).containsExactly("a");
    assertThat(index.postings("a", "app", "x")).extracting(IndexKeys.Posting::tenant).containsExactly("a");
    assertThat(index.series("b", 1)).isEmpty();
  }

  @Test
  void keepsCollidingFingerprintsApart() {
    index.add("t", 9, Labels.of("a", "1"), 1, 2);
    index.add("t", 9, Labels.of("b", "2"), 3, 4);

    assertThat(index.series("t", 9)).extracting(IndexedSeries::labels)
        .containsExactlyInAnyOrder(Labels.of("a", "1"), Labels.of("b", "2"));
  }

  @Test
  void updatesRangesRemovesAndClears() {
    Labels labels = Labels.of("app", "api");
    index.add("t", 1, labels, 10, 20);
    index.updateRange("t", 1, labels, 5, 99);
    assertThat(index.series("t", 1)).singleElement()
        .satisfies(s -> assertThat(new long[] {s.minTs(), s.maxTs()}).containsExactly(5, 99));

    index.add("t", 2, Labels.of("app", "web"), 1, 1);
    index.remove("t", 1, labels);
    assertThat(index.series("t")).extracting(IndexedSeries::fingerprint).containsExactly(2L);
    assertThat(index.postings("t", "app")).extracting(IndexKeys.Posting::value).containsExactly("web");

    assertThat(index.clear()).isEqualTo(2); // one posting and one series row
    assertThat(index.series("t")).isEmpty();
  }

  @Test
  void overlapIsHalfOpen() {
    IndexedSeries s = new IndexedSeries("t", 1, Labels.EMPTY, 10, 20);
    assertThat(List.of(s.overlaps(0, 10), s.overlaps(0, 11), s.overlaps(20, 21), s.overlaps(21, 30)))
        .containsExactly(false, true, true, false);
  }
}
