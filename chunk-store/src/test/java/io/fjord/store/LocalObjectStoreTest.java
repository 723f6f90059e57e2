package io.fjord.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.store.local.LocalObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local directory store adds to the contract: its layout on disk and its safety. */
class LocalObjectStoreTest {
  @TempDir
  Path dir;

  @Test
  void keysAreFilesInSubdirectoriesAndPutsLeaveNoTemporaryFiles() throws IOException {
    LocalObjectStore store = new LocalObjectStore(dir);
    store.put("fake/chunks/00ff/a-b-c", "chunk".getBytes(StandardCharsets.UTF_8));
    assertThat(dir.resolve("fake").resolve("chunks").resolve("00ff").resolve("a-b-c")).hasContent("chunk");
    try (Stream<Path> tmp = Files.list(dir.resolve(".fjord-tmp"))) {
      assertThat(tmp).isEmpty();
    }
    assertThat(store.list("")).containsExactly("fake/chunks/00ff/a-b-c");
  }

  @Test
  void deletePrunesDirectoriesLeftEmpty() {
    LocalObjectStore store = new LocalObjectStore(dir);
    store.put("t/chunks/1/x", new byte[] {1});
    store.put("t/index/y", new byte[] {2});
    store.delete("t/chunks/1/x");
    assertThat(dir.resolve("t").resolve("chunks")).doesNotExist();
    assertThat(dir.resolve("t").resolve("index").resolve("y")).exists();
  }

  @Test
  void refusesKeysThatWouldLeaveTheRootOrUseItsTemporaryDirectory() {
    LocalObjectStore store = new LocalObjectStore(dir.resolve("root"));
    for (String bad : List.of("../outside", "a/../../outside", "/etc/passwd", ".fjord-tmp/x", ".fjord-tmp")) {
      assertThatThrownBy(() -> store.put(bad, new byte[] {1})).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(dir.resolve("outside")).doesNotExist();
  }

  @Test
  void aKeyCannotAlsoBeTheDirectoryOfOtherKeys() {
    LocalObjectStore store = new LocalObjectStore(dir);
    store.put("a/b", new byte[] {1});
    assertThatThrownBy(() -> store.put("a", new byte[] {2})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("collides");
    assertThatThrownBy(() -> store.put("a/b/c", new byte[] {3})).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.get("a")).isEmpty();
    assertThat(store.list("")).containsExactly("a/b");
  }

  @Test
  void anUnwritableDirectoryMakesTheStoreUnavailable() throws IOException {
    LocalObjectStore store = new LocalObjectStore(dir);
    store.put("t/x", new byte[] {1});
    // the store's temporary directory replaced by a file: an I/O failure the caller can only retry or report
    Path blocker = dir.resolve(".fjord-tmp");
    Files.delete(blocker);
    Files.writeString(blocker, "not a directory");
    assertThatThrownBy(() -> store.put("t/y", new byte[] {1}))
        .isInstanceOf(ObjectStoreUnavailableException.class).hasMessageContaining("cannot put t/y");
  }

  @Test
  void concurrentPutsAndDeletesInOneDirectoryLoseNoPut() throws Exception {
    LocalObjectStore store = new LocalObjectStore(dir);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            String k = "t/chunks/s/" + thread + "-" + i;
            store.put(k, new byte[] {(byte) i});
            if (i % 2 == 0) {
              store.delete(k); // may prune t/chunks/s while another thread puts into it
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.list("t/chunks/s/")).hasSize(4 * 100);
  }
}
