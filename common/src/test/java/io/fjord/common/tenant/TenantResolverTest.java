package io.fjord.common.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fjord.common.http.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantResolverTest {
  @Test
  void authDisabledMeansEveryoneIsFake() {
    TenantResolver r = new TenantResolver(false, false);
    assertThat(r.writeTenant(null)).isEqualTo("fake");
    assertThat(r.writeTenant("acme")).isEqualTo("fake");
    assertThat(r.readTenants("a|b")).containsExactly("fake");
  }

  @Test
  void authEnabledRequiresTheHeader() {
    TenantResolver r = new TenantResolver(true, false);
    assertThat(r.writeTenant("acme")).isEqualTo("acme");
    assertThatThrownBy(() -> r.writeTenant(null)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void multiTenantReadsOnlyWhenEnabled() {
    assertThat(new TenantResolver(true, true).readTenants("b|a|b")).containsExactly("a", "b");
    assertThatThrownBy(() -> new TenantResolver(true, false).readTenants("a|b"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> new TenantResolver(true, true).writeTenant("a|b"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", ".", "a b", "a/b", "tenant\u00e9"})
  void invalidTenantIdsAreRefused(String tenant) {
    assertThatThrownBy(() -> new TenantResolver(true, false).writeTenant(tenant))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @ParameterizedTest
  @ValueSource(strings = {".fjord", ".fjord-checkpoints", ".fjord-tmp", ".fjordx"})
  void theStoresReservedPrefixIsRefused(String tenant) {
    assertThatThrownBy(() -> new TenantResolver(true, false).writeTenant(tenant))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.getMessage()).contains("'" + tenant + "'").contains("reserves");
        });
  }

  @Test
  void aDotThatStartsSomethingElseIsFine() {
    assertThat(new TenantResolver(true, false).writeTenant(".fjo")).isEqualTo(".fjo");
    assertThat(new TenantResolver(true, false).writeTenant("team.fjord")).isEqualTo("team.fjord");
  }
}
