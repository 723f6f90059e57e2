package io.fjord.ingester.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.ingester.chunk.ChunkSettings;
import io.fjord.ingester.chunk.PartitionMemory;
import io.fjord.ingester.index.IndexUnavailableException;
import io.fjord.ingester.index.StreamIndex;
import io.fjord.schemas.labels.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionStateTest {
  @TempDir
  Path stateDir;
  KeyValueStore<Bytes, byte[]> store;
  PartitionState state;

  @BeforeEach
  void open() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "partition-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(io.fjord.ingester.stream.DeadLetterHandlers.GLOBAL_HANDLER_CONFIG, "true");
    MockProcessorContext<Void, Void> context = new MockProcessorContext<>(props, new TaskId(0, 1), stateDir.toFile());
    store = StreamIndex.storeBuilder().build();
    store.init(context.getStateStoreContext(), store);
    StreamIndex index = new StreamIndex(store);
    index.add("t", 1, Labels.of("app", "a"), 1, 2);
    state = new PartitionState(1, new PartitionMemory(1,
        new ChunkSettings(100, 1000, Duration.ofMinutes(1), Duration.ofMinutes(2))), index);
  }

  @Test
  void readsWhileOpenAndTurnsReadersAwayOnceClosed() {
    assertThat(state.read(s -> s.index().series("t").size())).contains(1);

    state.close();
    store.close();

    assertThat(state.read(s -> s.index().series("t").size())).isEmpty();
  }

  @Test
  void aStoreClosedBehindItsBackMakesThePartitionUnavailableInsteadOfFailingTheQuery() {
    store.close(); // the task died without closing the partition state

    assertThatThrownBy(() -> state.index().series("t")).isInstanceOf(IndexUnavailableException.class);
    assertThat(state.read(s -> s.index().series("t").size())).isEmpty();
  }

  @Test
  void theRegistryKeepsTheNewestStateOfAPartition() {
    PartitionRegistry registry = new PartitionRegistry();
    PartitionState newer = new PartitionState(1, state.memory(), state.index());
    registry.register(state);
    registry.register(newer);

    registry.unregister(state); // the old task closing late must not remove its successor

    assertThat(registry.get(1)).isSameAs(newer);
    assertThat(registry.all()).containsExactly(newer);
  }
}
