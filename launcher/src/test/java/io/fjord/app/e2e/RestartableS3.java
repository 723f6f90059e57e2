package io.fjord.app.e2e;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server for the launcher's end-to-end tests (an adaptation of chunk-store's
 * InProcessS3, which is not published to other modules): s3proxy on 127.0.0.1 with an in-memory blob
 * store and fixed test credentials, that can be stopped (an S3 outage: connections are refused) and
 * started again on the same port with the same objects. Not thread-safe: driven by one test thread.
 */
final class RestartableS3 implements AutoCloseable {
  static final String ACCESS_KEY = "fjord-test-access";
  static final String SECRET_KEY = "fjord-test-secret";

  private final BlobStore blobs = new TransientNio2BlobStore();
  private final URI endpoint;
  private S3Proxy proxy;

  RestartableS3() throws Exception {
    proxy = started(URI.create("http://127.0.0.1:0"));
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  private S3Proxy started(URI at) throws Exception {
    S3Proxy p = S3Proxy.builder()
        .blobStore(blobs)
        .endpoint(at)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    p.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(p.getState()));
    return p;
  }

  URI endpoint() {
    return endpoint;
  }

  /** Fjord's configuration keys for {@code bucket} on this server (path style, static credentials). */
  Map<String, String> storageConfig(String bucket) {
    Map<String, String> m = new HashMap<>();
    m.put("storage.backend", "s3");
    m.put("storage.s3.bucketnames", bucket);
    m.put("storage.s3.endpoint", endpoint.toString());
    m.put("storage.s3.access_key_id", ACCESS_KEY);
    m.put("storage.s3.secret_access_key", SECRET_KEY);
    m.put("storage.s3.s3forcepathstyle", "true");
    return m;
  }

  void createBucket(String bucket) {
    try (S3Client s3 = client()) {
      s3.createBucket(r -> r.bucket(bucket));
    }
  }

  /** Bytes of every object in {@code bucket} under {@code prefix}, by key. */
  Map<String, Long> objects(String bucket, String prefix) {
    Map<String, Long> out = new HashMap<>();
    try (S3Client s3 = client()) {
      for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
        out.put(o.key(), o.size());
      }
    }
    return out;
  }

  /** Stops serving: connections to the endpoint are refused until {@link #start()}. The objects stay. */
  void stop() throws Exception {
    proxy.stop();
    await().atMost(Duration.ofSeconds(30)).until(() -> "STOPPED".equals(proxy.getState()));
  }

  /** Serves again on the same port, with the objects it held when stopped. */
  void start() throws Exception {
    proxy = started(endpoint);
  }

  private S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  @Override
  public void close() throws Exception {
    if (!"STOPPED".equals(proxy.getState())) {
      proxy.stop();
    }
  }
}
