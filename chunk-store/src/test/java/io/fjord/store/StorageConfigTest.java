package io.fjord.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fjord.store.config.S3StorageConfig;
import io.fjord.store.config.StorageBackend;
import io.fjord.store.config.StorageConfig;
import io.fjord.store.local.LocalObjectStore;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The storage section binds from YAML with Loki's names, takes defaults, and names a wrong key. */
class StorageConfigTest {
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  @Test
  void leftOutEverythingIsAFilesystemStoreUnderTheDataDirectory(@TempDir Path data) {
    StorageConfig c = StorageConfig.defaults();
    assertThat(c.backend()).isEqualTo(StorageBackend.FILESYSTEM);
    assertThat(c.filesystem().directoryUnder(data)).isEqualTo(data.resolve("chunks"));
    try (ObjectStore store = ObjectStores.open(c, data)) {
      assertThat(store).isInstanceOf(LocalObjectStore.class);
      assertThat(((LocalObjectStore) store).root()).isEqualTo(data.resolve("chunks").toAbsolutePath());
    }
  }

  @Test
  void bindsLokisS3Names() throws Exception {
    StorageConfig c = YAML.readValue("""
        backend: s3
        s3:
          bucketnames: fjord-chunks
          region: eu-west-1
          endpoint: minio.storage.svc:9000
          insecure: true
          access_key_id: AK
          secret_access_key: SK
          s3forcepathstyle: false
        """, StorageConfig.class);
    S3StorageConfig s3 = c.s3();
    assertThat(c.backend()).isEqualTo(StorageBackend.S3);
    assertThat(s3.bucketnames()).isEqualTo("fjord-chunks");
    assertThat(s3.region()).isEqualTo("eu-west-1");
    assertThat(s3.endpointUri()).isEqualTo(URI.create("http://minio.storage.svc:9000"));
    assertThat(s3.accessKeyId()).isEqualTo("AK");
    assertThat(s3.secretAccessKey()).isEqualTo("SK");
    assertThat(s3.s3forcepathstyle()).isFalse();
    assertThat(s3.toString()).doesNotContain("SK").contains("<hidden>");
  }

  @Test
  void acceptsTheShorterAliasesAndAwsAsABackendName() throws Exception {
    StorageConfig c = YAML.readValue("""
        backend: aws
        s3: {bucket: b, force_path_style: true}
        filesystem: {directory: /var/fjord/chunks}
        """, StorageConfig.class);
    assertThat(c.backend()).isEqualTo(StorageBackend.S3);
    assertThat(c.s3().bucketnames()).isEqualTo("b");
    assertThat(c.s3().s3forcepathstyle()).isTrue();
    assertThat(c.s3().endpointUri()).isNull();
    assertThat(c.s3().hasStaticCredentials()).isFalse();
    assertThat(c.s3().region()).isEqualTo("us-east-1");
    assertThat(c.filesystem().directoryUnder(Path.of("/data"))).isEqualTo(Path.of("/var/fjord/chunks"));
  }

  @ParameterizedTest
  @CsvSource({
      // endpoint, force_path_style left out -> expected
      "http://minio:9000, true",
      "https://s3.eu-west-1.amazonaws.com, false",
      "'', false",
  })
  void pathStyleDefaultsToTrueForEndpointsOtherThanAws(String endpoint, boolean expected) {
    assertThat(new S3StorageConfig("b", null, endpoint, null, null, null, null).s3forcepathstyle()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "backend: gcs | storage.backend must be filesystem or s3, got \"gcs\"",
      "backend: s3 | storage.s3.bucketnames is required when storage.backend is s3",
      "{backend: s3, s3: {bucketnames: 'a,b'}} | storage.s3.bucketnames: Fjord stores chunks in one bucket",
      "{s3: {bucketnames: b, access_key_id: AK}} | storage.s3.access_key_id and storage.s3.secret_access_key must be set together",
      "{s3: {bucketnames: b, endpoint: 'ftp://x'}} | storage.s3.endpoint: not a URL or host[:port]",
      "{s3: {bucketnames: b, endpoint: 'http://'}} | storage.s3.endpoint: not a URL or host[:port]",
  })
  void refusesWhatCannotWorkAndNamesTheKey(String yaml, String message) {
    assertThatThrownBy(() -> YAML.readValue(yaml, StorageConfig.class)).rootCause().hasMessageStartingWith(message);
  }

  @Test
  void anUnknownKeyIsAnError() {
    assertThatThrownBy(() -> YAML.readValue("s3: {bucketname: b}", StorageConfig.class))
        .hasMessageContaining("bucketname");
  }
}
