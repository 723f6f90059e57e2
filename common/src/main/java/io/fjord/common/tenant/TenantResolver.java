package io.fjord.common.tenant;

import io.fjord.common.http.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the {@code X-Scope-OrgID} header into tenant ids, as Loki does: with auth disabled every
 * request belongs to the tenant {@code fake}; with auth enabled the header is required (401 without
 * it). Tenant ids are at most 150 characters of {@code [A-Za-z0-9!-_.*'()]}, and neither
 * {@code .} nor {@code ..}; beyond Loki's rules, ids starting with {@value #RESERVED_PREFIX} are
 * refused: the object store keeps Fjord's own objects (replay checkpoints, temporary files) under
 * that prefix, next to the tenants' directories. Immutable and thread-safe.
 */
public final class TenantResolver {
  public static final String HEADER = "X-Scope-OrgID";
  public static final String DEFAULT_TENANT = "fake";
  /** Tenant ids may not start with this: it names Fjord's own objects in the store. */
  public static final String RESERVED_PREFIX = ".fjord";
  private static final int MAX_LENGTH = 150;

  private final boolean authEnabled;
  private final boolean multiTenantQueries;

  public TenantResolver(boolean authEnabled, boolean multiTenantQueries) {
    this.authEnabled = authEnabled;
    this.multiTenantQueries = multiTenantQueries;
  }

  /** The one tenant a write belongs to. */
  public String writeTenant(String header) {
    List<String> tenants = resolve(header);
    if (tenants.size() != 1) {
      throw new ApiException(400, "multiple org IDs present");
    }
    return tenants.get(0);
  }

  /** The tenants a read covers: one, or several ({@code a|b}) when multi-tenant queries are on. */
  public List<String> readTenants(String header) {
    List<String> tenants = resolve(header);
    if (tenants.size() > 1 && !multiTenantQueries) {
      throw new ApiException(400, "multiple org IDs present");
    }
    return tenants;
  }

  private List<String> resolve(String header) {
    if (!authEnabled) {
      return List.of(DEFAULT_TENANT);
    }
    if (header == null || header.isBlank()) {
      throw new ApiException(401, "no org id");
    }
    List<String> tenants = new ArrayList<>();
    for (String part : header.split("\\|", -1)) {
      validate(part);
      if (!tenants.contains(part)) {
        tenants.add(part);
      }
    }
    tenants.sort(null);
    return List.copyOf(tenants);
  }

  private static void validate(String tenant) {
    if (tenant.isEmpty() || tenant.length() > MAX_LENGTH) {
      throw new ApiException(401, "tenant ID must be 1 to " + MAX_LENGTH + " characters long");
    }
    if (tenant.equals(".") || tenant.equals("..")) {
      throw new ApiException(401, "tenant ID is '.' or '..'");
    }
    if (tenant.startsWith(RESERVED_PREFIX)) {
      throw new ApiException(401, "tenant ID '" + tenant + "' starts with '" + RESERVED_PREFIX
          + "', which Fjord reserves for its own objects in the store");
    }
    for (int i = 0; i < tenant.length(); i++) {
      char c = tenant.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!-_.*'()".indexOf(c) >= 0;
      if (!ok) {
        throw new ApiException(401, "tenant ID '" + tenant + "' contains unsupported character '" + c + "'");
      }
    }
  }
}
