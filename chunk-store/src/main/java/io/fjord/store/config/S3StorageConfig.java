package io.fjord.store.config;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The {@code storage.s3} section, with the names of Loki's {@code storage_config.aws} block, so a
 * Loki configuration's values carry over. Works with AWS S3, MinIO and other S3-compatible stores.
 * Immutable; {@link #toString()} hides the secret key.
 *
 * @param bucketnames the bucket (Loki's name; {@code bucket} is accepted too). One bucket only.
 * @param region the bucket's region (default {@code us-east-1}; S3-compatible stores mostly ignore it)
 * @param endpoint an S3-compatible endpoint: a URL ({@code http://minio:9000}) or {@code host[:port]}
 *     (then https, or http when {@code insecure}); left out, AWS's endpoint for the region
 * @param accessKeyId static credentials; left out (with the secret), the AWS default credential
 *     chain is used (environment, system properties, profile files, container or instance role)
 * @param secretAccessKey the secret of {@code access_key_id}; both or neither
 * @param s3forcepathstyle path-style requests ({@code http://host/bucket/key}) instead of
 *     virtual-hosted ones (Loki's name; {@code force_path_style} is accepted too). Left out: true
 *     when an endpoint other than AWS's is set (MinIO and most S3-compatible stores need it), false otherwise
 * @param insecure use http for an endpoint given without a scheme
 */
public record S3StorageConfig(
    @JsonProperty("bucketnames") @JsonAlias("bucket") String bucketnames,
    @JsonProperty("region") String region,
    @JsonProperty("endpoint") String endpoint,
    @JsonProperty("access_key_id") String accessKeyId,
    @JsonProperty("secret_access_key") String secretAccessKey,
    @JsonProperty("s3forcepathstyle") @JsonAlias("force_path_style") Boolean s3forcepathstyle,
    @JsonProperty("insecure") Boolean insecure) {

  public static final String DEFAULT_REGION = "us-east-1";

  public S3StorageConfig {
    bucketnames = blankToNull(bucketnames);
    region = blankToNull(region) == null ? DEFAULT_REGION : region.strip();
    endpoint = blankToNull(endpoint);
    accessKeyId = blankToNull(accessKeyId);
    secretAccessKey = blankToNull(secretAccessKey);
    insecure = insecure != null && insecure;
    if (bucketnames != null && bucketnames.contains(",")) {
      throw new IllegalArgumentException("storage.s3.bucketnames: Fjord stores chunks in one bucket, got \""
          + bucketnames + "\"");
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException(
          "storage.s3.access_key_id and storage.s3.secret_access_key must be set together (or neither, "
              + "for the default credential chain)");
    }
    if (endpoint != null) {
      endpointUri(endpoint, insecure); // fails fast on a malformed endpoint
    }
    if (s3forcepathstyle == null) {
      s3forcepathstyle = endpoint != null && !endpointUri(endpoint, insecure).getHost().endsWith(".amazonaws.com");
    }
  }

  public static S3StorageConfig defaults() {
    return new S3StorageConfig(null, null, null, null, null, null, null);
  }

  /** S3 against a bucket at an S3-compatible endpoint with static credentials and path-style access. */
  public static S3StorageConfig compatible(String bucket, String endpoint, String accessKeyId, String secretAccessKey) {
    return new S3StorageConfig(bucket, null, endpoint, accessKeyId, secretAccessKey, true, null);
  }

  /** Checks what only matters when S3 is the backend in use. */
  void requireUsable() {
    if (bucketnames == null) {
      throw new IllegalArgumentException("storage.s3.bucketnames is required when storage.backend is s3");
    }
  }

  /** The endpoint as a URL, or null for AWS's own. */
  public URI endpointUri() {
    return endpoint == null ? null : endpointUri(endpoint, insecure);
  }

  public boolean hasStaticCredentials() {
    return accessKeyId != null;
  }

  private static URI endpointUri(String endpoint, boolean insecure) {
    String url = endpoint.contains("://") ? endpoint : (insecure ? "http://" : "https://") + endpoint;
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new URISyntaxException(url, "needs http(s) and a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("storage.s3.endpoint: not a URL or host[:port]: \"" + endpoint + "\" ("
          + e.getReason() + ")");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  @Override
  public String toString() {
    return "S3StorageConfig[bucketnames=" + bucketnames + ", region=" + region + ", endpoint=" + endpoint
        + ", accessKeyId=" + accessKeyId + ", secretAccessKey=" + (secretAccessKey == null ? null : "<hidden>")
        + ", s3forcepathstyle=" + s3forcepathstyle + ", insecure=" + insecure + "]";
  }
}
