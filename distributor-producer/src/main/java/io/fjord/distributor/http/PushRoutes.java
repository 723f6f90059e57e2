package io.fjord.distributor.http;

import io.fjord.common.http.RouteModule;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.distributor.PushService;
import io.fjord.distributor.push.PushDecoder;
import io.fjord.distributor.push.PushException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Loki's push endpoints, {@code POST /loki/api/v1/push} and the legacy {@code POST /api/prom/push}:
 * tenant from {@code X-Scope-OrgID}, body read within its cap, decoded, handed to the
 * {@link PushService}; 204 once Kafka has everything. Failures leave as {@code ApiException}s,
 * which the shared server turns into the status and a plain-text message. Thread-safe.
 */
public final class PushRoutes implements RouteModule {
  public static final String PUSH_PATH = "/loki/api/v1/push";
  public static final String LEGACY_PUSH_PATH = "/api/prom/push";

  private final TenantResolver tenants;
  private final PushDecoder decoder;
  private final PushService service;
  private final long maxRequestBytes;

  public PushRoutes(TenantResolver tenants, PushDecoder decoder, PushService service, long maxRequestBytes) {
    this.tenants = tenants;
    this.decoder = decoder;
    this.service = service;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post(PUSH_PATH, ctx -> push(ctx, false));
    routes.post(LEGACY_PUSH_PATH, ctx -> push(ctx, true));
  }

  private void push(Context ctx, boolean legacy) {
    String tenant = tenants.writeTenant(ctx.header(TenantResolver.HEADER));
    try {
      byte[] body = RequestBody.read(ctx.bodyInputStream(), ctx.req().getContentLengthLong(), maxRequestBytes);
      service.push(tenant, decoder.decode(body, ctx.header("Content-Type"), ctx.header("Content-Encoding"), legacy));
    } catch (PushException e) {
      throw PushErrors.toApi(e);
    }
    ctx.status(204);
  }
}
