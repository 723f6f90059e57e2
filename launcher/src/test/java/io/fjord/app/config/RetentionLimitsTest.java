package io.fjord.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.store.index.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loki's retention keys: limits_config.retention_period and the per-tenant overrides file. */
class RetentionLimitsTest {
  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  private FjordConfig config(String yaml) {
    return loader.parse("f.yaml", yaml, Map.of());
  }

  @Test
  void limitsRetentionPeriodIsTheDefaultAndWinsOverTheCompactorsOne() {
    FjordConfig both = config("""
        limits_config:
          retention_period: 744h
        compactor:
          retention_enabled: true
          retention_period: 168h
        """);
    assertThat(both.limits().retentionPeriod()).isEqualTo(Duration.ofDays(31));
    assertThat(RetentionLimits.load(both).retentionPeriod("anyone")).isEqualTo(Duration.ofDays(31));

    FjordConfig compactorOnly = config("compactor:\n  retention_period: 168h\n");
    assertThat(compactorOnly.limits().retentionPeriod()).isZero();
    assertThat(RetentionLimits.load(compactorOnly).retentionPeriod("anyone")).isEqualTo(Duration.ofDays(7));

    assertThat(RetentionLimits.load(FjordConfig.defaults()).retentionPeriod("anyone")).isZero();
    assertThat(FjordConfig.defaults().limits().perTenantOverrideConfig()).isEmpty();
  }

  @Test
  void aLimitsRetentionPeriodUnderADayIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> config("limits_config:\n  retention_period: 23h\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("retention_period").hasMessageContaining("at least 24h");
  }

  @Test
  void theOverridesFileGivesTenantsTheirOwnPeriod(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("overrides.yaml");
    Files.writeString(file, """
        overrides:
          "team-a":
            retention_period: 168h
          keep-all:
            retention_period: 0s
          "29":
            retention_period: 2w
        """);
    RetentionPolicy policy = RetentionLimits.load(config("""
        limits_config:
          retention_period: 30d
          per_tenant_override_config: %s
        """.formatted(file)));
    assertThat(policy.retentionPeriod("team-a")).isEqualTo(Duration.ofDays(7));
    assertThat(policy.retentionPeriod("keep-all")).isZero();
    assertThat(policy.retentionPeriod("29")).isEqualTo(Duration.ofDays(14));
    assertThat(policy.retentionPeriod("team-b")).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void anEmptyFileOrAnEmptyOverridesSectionOverridesNothing() {
    assertThat(RetentionLimits.parseOverrides("o.yaml", "")).isEmpty();
    assertThat(RetentionLimits.parseOverrides("o.yaml", "overrides:\n")).isEmpty();
  }

  @Test
  void anyOtherOverrideIsRefusedNamingTheFileTheTenantAndTheKey() {
    assertThatThrownBy(() -> RetentionLimits.parseOverrides("/etc/fjord/o.yaml", """
        overrides:
          team-a:
            retention_period: 168h
            ingestion_rate_mb: 10
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("/etc/fjord/o.yaml")
        .hasMessageContaining("tenant 'team-a'")
        .hasMessageContaining("'ingestion_rate_mb'")
        .hasMessageContaining("only retention_period");
  }

  @Test
  void malformedFilesAreRefusedWithTheReason(@TempDir Path dir) {
    assertThatThrownBy(() -> RetentionLimits.parseOverrides("o.yaml", "configs:\n  a: 1\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'configs'");
    assertThatThrownBy(() -> RetentionLimits.parseOverrides("o.yaml", "overrides:\n  team-a: 168h\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tenant 'team-a'")
        .hasMessageContaining("expected a mapping");
    assertThatThrownBy(() -> RetentionLimits.parseOverrides("o.yaml",
        "overrides:\n  team-a:\n    retention_period: a week\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tenant 'team-a'")
        .hasMessageContaining("not a valid duration");
    assertThatThrownBy(() -> RetentionLimits.parseOverrides("o.yaml", "overrides: [a, b]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'overrides' must map tenant IDs");
    assertThatThrownBy(() -> RetentionLimits.parseOverrides("o.yaml", "overrides:\n  a: {\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
    Path missing = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> RetentionLimits.load(config(
        "limits_config:\n  per_tenant_override_config: " + missing + "\n")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aTenantPeriodUnderLokisFloorIsRefusedNamingTheFileAndTenant(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("o.yaml");
    Files.writeString(file, "overrides:\n  team-a:\n    retention_period: 12h\n");
    assertThatThrownBy(() -> RetentionLimits.load(config(
        "limits_config:\n  per_tenant_override_config: " + file + "\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("tenant 'team-a'")
        .hasMessageContaining("at least 24h");
  }
}
