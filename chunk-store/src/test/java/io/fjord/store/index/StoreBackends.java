package io.fjord.store.index;

import io.fjord.store.InProcessS3;
import io.fjord.store.ObjectStore;
import io.fjord.store.local.LocalObjectStore;
import io.fjord.store.s3.S3ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh, empty object stores of both kinds for the index tests: a local directory under a temporary
 * root, or a new bucket on one in-process S3 server (s3proxy, through the AWS SDK). Close it to
 * close every store it opened and the server. Not thread-safe (used from one test thread).
 */
final class StoreBackends implements AutoCloseable {
  enum Backend { LOCAL, S3 }

  private final Path root;
  private final AtomicInteger counter = new AtomicInteger();
  private final List<ObjectStore> opened = new ArrayList<>();
  private InProcessS3 server;

  StoreBackends(Path root) {
    this.root = root;
  }

  /** A new empty store of {@code backend}. */
  ObjectStore fresh(Backend backend) throws Exception {
    ObjectStore store;
    int n = counter.incrementAndGet();
    if (backend == Backend.LOCAL) {
      store = new LocalObjectStore(Files.createDirectories(root.resolve("store-" + n)));
    } else {
      if (server == null) {
        server = new InProcessS3();
      }
      String bucket = "index-" + n;
      server.createBucket(bucket);
      store = new S3ObjectStore(server.config(bucket));
    }
    opened.add(store);
    return store;
  }

  @Override
  public void close() throws Exception {
    for (ObjectStore s : opened) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }
}
