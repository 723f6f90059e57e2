package io.fjord.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.store.local.LocalObjectStore;
import io.fjord.store.s3.S3ObjectStoreTestAccess;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link ObjectStore} contract, run against both implementations: {@link LocalObjectStore} on a
 * temporary directory and S3ObjectStore against a real in-process S3 server through the AWS SDK.
 * Each test works under its own random prefix, so the stores are shared by the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectStoreContractTest {
  private InProcessS3 server;
  private ObjectStore local;
  private ObjectStore s3;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    server = new InProcessS3();
    server.createBucket("contract");
    local = new LocalObjectStore(dir.resolve("store"));
    // a small listing page, so that listing more than a few keys must follow continuation tokens
    s3 = S3ObjectStoreTestAccess.withPageSize(server.config("contract"), 7);
  }

  @AfterAll
  void stop() throws Exception {
    s3.close();
    local.close();
    server.close();
  }

  /** A contract case for each store; the stores outlive the invocations (not auto-closed). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ParameterizedTest(name = "{0}", autoCloseArguments = false)
  @MethodSource("stores")
  @interface StoreContract {}

  Stream<Arguments> stores() {
    return Stream.of(Arguments.of(Named.of("local", local)), Arguments.of(Named.of("s3", s3)),
        Arguments.of(Named.of("interface defaults over local", withInterfaceDefaults(local))));
  }

  /** The store with only the abstract methods delegated, so the interface's default methods are what runs. */
  private static ObjectStore withInterfaceDefaults(ObjectStore d) {
    return new ObjectStore() {
      @Override
      public void put(String key, byte[] bytes) {
        d.put(key, bytes);
      }

      @Override
      public java.util.Optional<byte[]> get(String key) {
        return d.get(key);
      }

      @Override
      public byte[] getRange(String key, long offset, int length) {
        return d.getRange(key, offset, length);
      }

      @Override
      public List<String> list(String prefix) {
        return d.list(prefix);
      }

      @Override
      public void delete(String key) {
        d.delete(key);
      }

      @Override
      public void close() {
      }
    };
  }

  private static String prefix() {
    return "t-" + UUID.randomUUID() + "/";
  }

  @StoreContract
  void putThenGetReturnsTheBytes(ObjectStore store) {
    String p = prefix();
    byte[] big = new byte[3 << 20];
    new Random(1).nextBytes(big);
    store.put(p + "chunks/a/big", big);
    store.put(p + "empty", new byte[0]);
    store.put(p + "ünïcödé/名前", "x".getBytes(StandardCharsets.UTF_8));
    assertThat(store.get(p + "chunks/a/big")).hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
    assertThat(store.get(p + "empty")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    assertThat(store.get(p + "ünïcödé/名前")).hasValueSatisfying(b -> assertThat(b).containsExactly('x'));
  }

  @StoreContract
  void aMissingObjectIsEmptyForGetAndNotFoundForARange(ObjectStore store) {
    String p = prefix();
    assertThat(store.get(p + "nothing")).isEmpty();
    assertThatThrownBy(() -> store.getRange(p + "nothing", 0, 10))
        .isInstanceOf(ObjectNotFoundException.class).hasMessage("object not found: " + p + "nothing");
  }

  @StoreContract
  void aPutReplacesTheObject(ObjectStore store) {
    String k = prefix() + "k";
    store.put(k, bytes("first version, longer"));
    store.put(k, bytes("second"));
    assertThat(store.get(k)).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("second"));
  }

  @StoreContract
  void rangesReturnTheAskedBytesCutAtTheEnd(ObjectStore store) {
    String k = prefix() + "r";
    store.put(k, bytes("0123456789"));
    assertThat(str(store.getRange(k, 0, 1))).isEqualTo("0");
    assertThat(str(store.getRange(k, 3, 4))).isEqualTo("3456");
    assertThat(str(store.getRange(k, 6, 4))).isEqualTo("6789");
    assertThat(str(store.getRange(k, 8, 100))).isEqualTo("89");
    assertThat(store.getRange(k, 10, 5)).isEmpty();
    assertThat(store.getRange(k, 50, 5)).isEmpty();
    assertThatThrownBy(() -> store.getRange(k, -1, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.getRange(k, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @StoreContract
  void listReturnsEveryKeyUnderThePrefixInByteOrder(ObjectStore store) {
    String p = prefix();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      keys.add(p + "chunks/" + String.format("%02x", (i * 7) % 23) + "/c" + i);
    }
    keys.add(p + "chunks-not/x");
    keys.add(p + "index/2026-11-20");
    keys.add(p + "chunks/Z"); // after the hex digits in byte order
    for (String k : keys) {
      store.put(k, bytes(k));
    }
    List<String> chunks = keys.stream().filter(k -> k.startsWith(p + "chunks/")).sorted().toList();
    assertThat(store.list(p + "chunks/")).containsExactlyElementsOf(chunks).hasSize(24);
    assertThat(store.list(p + "chunks")).hasSize(25);
    assertThat(store.list(p + "chunks/0")).containsExactlyElementsOf(
        chunks.stream().filter(k -> k.startsWith(p + "chunks/0")).toList());
    assertThat(store.list(p + "chunks/05/c")).containsExactlyElementsOf(
        chunks.stream().filter(k -> k.startsWith(p + "chunks/05/c")).toList()).hasSize(1);
    assertThat(store.list(p + "index/")).containsExactly(p + "index/2026-11-20");
    assertThat(store.list(p + "nothing/")).isEmpty();
    assertThat(store.list("")).containsAll(keys);
  }

  @StoreContract
  void listPrefixesNamesTheDirectoriesOneLevelDown(ObjectStore store) {
    String p = prefix();
    store.put(p + "b/index/1/x", bytes("x"));
    store.put(p + "b/index/1/y", bytes("y"));
    store.put(p + "b/index/22/z", bytes("z"));
    store.put(p + "b/chunks/00/c", bytes("c"));
    store.put(p + "a/k", bytes("k"));
    store.put(p + "top", bytes("an object, not a directory"));
    assertThat(store.listPrefixes(p)).containsExactly(p + "a/", p + "b/");
    assertThat(store.listPrefixes(p + "b/")).containsExactly(p + "b/chunks/", p + "b/index/");
    assertThat(store.listPrefixes(p + "b/index/")).containsExactly(p + "b/index/1/", p + "b/index/22/");
    assertThat(store.listPrefixes(p + "b/index/1/")).isEmpty();
    assertThat(store.listPrefixes(p + "none/")).isEmpty();
    assertThat(store.listPrefixes("")).contains(p).doesNotContain(".fjord-tmp/");
    assertThatThrownBy(() -> store.listPrefixes(p + "b")).isInstanceOf(IllegalArgumentException.class);
  }

  @StoreContract
  void deleteRemovesTheObjectAndToleratesAMissingOne(ObjectStore store) {
    String p = prefix();
    store.put(p + "a/b/c", bytes("c"));
    store.put(p + "a/d", bytes("d"));
    store.delete(p + "a/b/c");
    assertThat(store.get(p + "a/b/c")).isEmpty();
    assertThat(store.list(p)).containsExactly(p + "a/d");
    store.delete(p + "a/b/c");
    store.delete(p + "never/was");
    store.put(p + "a/b/c", bytes("again"));
    assertThat(store.list(p)).containsExactly(p + "a/b/c", p + "a/d");
  }

  @StoreContract
  void invalidKeysAreRefusedBeforeAnyIo(ObjectStore store) {
    for (String bad : List.of("", "/abs", "a/../b", "..", "a/./b", "a//b", "a/", "a\\b", "a\u0000b", "x".repeat(1025))) {
      assertThatThrownBy(() -> store.put(bad, bytes("x"))).as("put %s", bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.get(bad)).as("get %s", bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.delete(bad)).as("delete %s", bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> store.list("../")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.list("/a")).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
