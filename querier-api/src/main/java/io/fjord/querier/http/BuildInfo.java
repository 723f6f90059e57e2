package io.fjord.querier.http;

/**
 * What {@code /loki/api/v1/status/buildinfo} reports, in Loki's fields. Grafana reads
 * {@code version}. Fjord's version is the {@code Implementation-Version} of the jar manifest when
 * there is one (a packaged build), else {@code dev}; the Go-specific fields stay empty. Immutable.
 */
public record BuildInfo(String version, String revision, String branch, String buildUser, String buildDate,
    String goVersion) {

  public static BuildInfo current() {
    return fromManifestVersion(BuildInfo.class.getPackage().getImplementationVersion());
  }

  static BuildInfo fromManifestVersion(String implementationVersion) {
    String version = implementationVersion == null || implementationVersion.isBlank() ? "dev" : implementationVersion;
    return new BuildInfo(version, "", "", "", "", "");
  }
}
