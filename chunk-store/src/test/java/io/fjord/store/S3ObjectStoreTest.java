package io.fjord.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.schemas.chunk.ChunkCodec;
import io.fjord.schemas.chunk.ChunkEncoder;
import io.fjord.schemas.chunk.ChunkReader;
import io.fjord.schemas.chunk.ScanDirection;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.store.config.S3StorageConfig;
import io.fjord.store.s3.S3ObjectStore;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** S3-specific behaviour: failures map to the right type, and a chunk reads back by ranged GETs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ObjectStoreTest {
  private InProcessS3 server;

  @BeforeAll
  void start() throws Exception {
    server = new InProcessS3();
    server.createBucket("chunks");
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  @Test
  void aFlushedChunkIsReadBackByRangedGets() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      entries.add(new LogEntry(1_000_000L * i, "level=info msg=\"request " + i + "\" status=200"));
    }
    Labels stream = Labels.of("app", "api");
    byte[] chunk = ChunkEncoder.encode("fake", stream, entries, ChunkCodec.ZSTD, 8 * 1024);
    try (S3ObjectStore store = new S3ObjectStore(server.config("chunks"))) {
      ChunkKey key = ChunkKey.of(ChunkReader.of("local", chunk).footer(), chunk);
      store.put(key.key(), chunk);
      ChunkReader reader = ChunkReader.open(key.key(), chunk.length, store.ranges(key.key()));
      assertThat(reader.blocks()).hasSizeGreaterThan(3);
      List<LogEntry> back = new ArrayList<>();
      reader.entries(ScanDirection.BACKWARD, 500_000_000L, 600_000_000L).forEachRemaining(back::add);
      assertThat(back).hasSize(100);
      assertThat(back.get(0)).isEqualTo(entries.get(599));
      assertThat(back.get(99)).isEqualTo(entries.get(500));
    }
  }

  @Test
  void aMissingBucketIsUnavailableAndSaysSo() {
    try (S3ObjectStore store = new S3ObjectStore(server.config("no-such-bucket"))) {
      assertThatThrownBy(() -> store.put("t/x", new byte[] {1}))
          .isInstanceOf(ObjectStoreUnavailableException.class)
          .hasMessageContaining("cannot put t/x").hasMessageContaining("NoSuchBucket");
      assertThatThrownBy(() -> store.get("t/x"))
          .isInstanceOf(ObjectStoreUnavailableException.class).hasMessageContaining("no-such-bucket does not exist");
    }
  }

  @Test
  void wrongCredentialsAreUnavailableNotNotFound() {
    S3StorageConfig bad = S3StorageConfig.compatible("chunks", server.endpoint().toString(), "someone", "wrong");
    try (S3ObjectStore store = new S3ObjectStore(bad)) {
      assertThatThrownBy(() -> store.get("t/x")).isInstanceOf(ObjectStoreUnavailableException.class)
          .hasMessageContaining("HTTP 403");
    }
  }

  @Test
  void anUnreachableServerIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    S3StorageConfig config = S3StorageConfig.compatible("chunks", "http://127.0.0.1:" + closedPort,
        InProcessS3.ACCESS_KEY, InProcessS3.SECRET_KEY);
    try (S3ObjectStore store = new S3ObjectStore(config)) {
      assertThatThrownBy(() -> store.put("t/x", new byte[] {1}))
          .isInstanceOf(ObjectStoreUnavailableException.class).hasMessageStartingWith("s3 bucket chunks: cannot put t/x");
      assertThatThrownBy(() -> store.list("t/")).isInstanceOf(ObjectStoreUnavailableException.class);
    }
  }
}
