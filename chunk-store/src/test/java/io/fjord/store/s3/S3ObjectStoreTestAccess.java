package io.fjord.store.s3;

import io.fjord.store.config.S3StorageConfig;

/** Lets tests outside this package build an S3ObjectStore with a small listing page. */
public final class S3ObjectStoreTestAccess {
  private S3ObjectStoreTestAccess() {}

  public static S3ObjectStore withPageSize(S3StorageConfig config, int pageSize) {
    return new S3ObjectStore(config, pageSize);
  }
}
