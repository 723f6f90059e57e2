package io.fjord.store.s3;

import io.fjord.store.ObjectKeys;
import io.fjord.store.ObjectNotFoundException;
import io.fjord.store.ObjectStore;
import io.fjord.store.ObjectStoreUnavailableException;
import io.fjord.store.config.S3StorageConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} on S3 or an S3-compatible store (MinIO, Ceph RGW, ...) through the AWS SDK
 * for Java v2: one bucket, an optional endpoint override, path-style or virtual-hosted requests,
 * static credentials or the default chain. Request checksums are sent only where S3 requires them,
 * which every S3-compatible store accepts. A missing object is {@link ObjectNotFoundException} (or
 * an empty result for {@link #get}); every other failure, after the SDK's own retries, is
 * {@link ObjectStoreUnavailableException} naming the operation, key, HTTP status and S3 error code.
 * Thread-safe (the SDK client is).
 */
public final class S3ObjectStore implements ObjectStore {
  /** S3's own page size for listings. */
  static final int DEFAULT_PAGE_SIZE = 1000;

  private final S3Client s3;
  private final String bucket;
  private final int pageSize;

  public S3ObjectStore(S3StorageConfig config) {
    this(config, DEFAULT_PAGE_SIZE);
  }

  S3ObjectStore(S3StorageConfig config, int pageSize) {
    if (config.bucketnames() == null) {
      throw new IllegalArgumentException("storage.s3.bucketnames is required");
    }
    this.bucket = config.bucketnames();
    this.pageSize = pageSize;
    this.s3 = client(config);
  }

  static S3Client client(S3StorageConfig config) {
    AwsCredentialsProvider credentials = config.hasStaticCredentials()
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()))
        : DefaultCredentialsProvider.builder().build();
    S3ClientBuilder b = S3Client.builder()
        .httpClientBuilder(Apache5HttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30))
            .maxConnections(64))
        .region(Region.of(config.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(config.s3forcepathstyle())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(2)));
    if (config.endpointUri() != null) {
      b.endpointOverride(config.endpointUri());
    }
    return b.build();
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public void put(String key, byte[] bytes) {
    ObjectKeys.check(key);
    try {
      s3.putObject(r -> r.bucket(bucket).key(key).contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw unavailable("put", key, e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    ObjectKeys.check(key);
    try {
      return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
        return Optional.empty();
      }
      throw unavailable("get", key, e);
    } catch (SdkException e) {
      throw unavailable("get", key, e);
    }
  }

  @Override
  public byte[] getRange(String key, long offset, int length) {
    ObjectKeys.check(key);
    ObjectKeys.checkRange(offset, length);
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    try {
      ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key).range(range));
      byte[] b = bytes.asByteArray();
      // a server that ignores Range answers 200 with the whole object: cut the range out ourselves
      if (bytes.response().contentRange() == null && (offset > 0 || b.length > length)) {
        return java.util.Arrays.copyOfRange(b, (int) Math.min(offset, b.length),
            (int) Math.min(offset + length, b.length));
      }
      return b;
    } catch (NoSuchKeyException e) {
      throw new ObjectNotFoundException(key);
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        return new byte[0]; // the range starts at or past the end of the object
      }
      if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
        throw new ObjectNotFoundException(key);
      }
      throw unavailable("get range of", key, e);
    } catch (SdkException e) {
      throw unavailable("get range of", key, e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    ObjectKeys.checkPrefix(prefix);
    List<String> keys = new ArrayList<>();
    String token = null;
    try {
      do {
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).maxKeys(pageSize);
        if (!prefix.isEmpty()) {
          req.prefix(prefix);
        }
        if (token != null) {
          req.continuationToken(token);
        }
        ListObjectsV2Response page = s3.listObjectsV2(req.build());
        for (S3Object o : page.contents()) {
          keys.add(o.key());
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw unavailable("list", prefix, e);
    }
    keys.sort(ObjectKeys.UTF8_ORDER); // S3 lists in this order already; some compatible stores do not
    return keys;
  }

  @Override
  public List<String> listPrefixes(String prefix) {
    ObjectKeys.checkDirectoryPrefix(prefix);
    java.util.TreeSet<String> out = new java.util.TreeSet<>(ObjectKeys.UTF8_ORDER);
    String token = null;
    try {
      do {
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).maxKeys(pageSize).delimiter("/");
        if (!prefix.isEmpty()) {
          req.prefix(prefix);
        }
        if (token != null) {
          req.continuationToken(token);
        }
        ListObjectsV2Response page = s3.listObjectsV2(req.build());
        for (CommonPrefix p : page.commonPrefixes()) {
          out.add(p.prefix());
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw unavailable("list prefixes of", prefix, e);
    }
    return List.copyOf(out);
  }

  @Override
  public void delete(String key) {
    ObjectKeys.check(key);
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      // already gone
    } catch (SdkException e) {
      throw unavailable("delete", key, e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  @Override
  public String toString() {
    return "S3ObjectStore[" + bucket + "]";
  }

  private static boolean isNoSuchBucket(S3Exception e) {
    return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
  }

  private ObjectStoreUnavailableException unavailable(String op, String key, SdkException e) {
    String why;
    if (e instanceof S3Exception s3e) {
      String code = s3e.awsErrorDetails() != null ? s3e.awsErrorDetails().errorCode() : null;
      why = "HTTP " + s3e.statusCode() + (code != null ? " " + code : "")
          + ("NoSuchBucket".equals(code) ? " (bucket " + bucket + " does not exist)" : "");
    } else {
      why = e.getMessage();
    }
    return new ObjectStoreUnavailableException("s3 bucket " + bucket + ": cannot " + op + " " + key + ": " + why, e);
  }
}
