package io.fjord.querier.source.store;

import static org.awaitility.Awaitility.await;

import io.fjord.store.config.S3StorageConfig;
import java.net.URI;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests (the pattern of chunk-store's InProcessS3, which is not in a test jar): s3proxy with its in-memory blob store, on 127.0.0.1 and a
 * free port, requiring AWS signatures with fixed test credentials. One per test class; closing it
 * stops the server.
 */
final class InProcessS3 implements AutoCloseable {
  static final String ACCESS_KEY = "fjord-test-access";
  static final String SECRET_KEY = "fjord-test-secret";

  private final S3Proxy proxy;
  private final URI endpoint;

  InProcessS3() throws Exception {
    proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> "STARTED".equals(proxy.getState()));
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Store settings for {@code bucket} on this server. */
  public S3StorageConfig config(String bucket) {
    return S3StorageConfig.compatible(bucket, endpoint.toString(), ACCESS_KEY, SECRET_KEY);
  }

  public void createBucket(String bucket) {
    try (S3Client s3 = S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build()) {
      s3.createBucket(r -> r.bucket(bucket));
    }
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
