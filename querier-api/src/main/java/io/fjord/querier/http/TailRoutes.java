package io.fjord.querier.http;

import io.fjord.common.http.ApiException;
import io.fjord.common.http.RouteModule;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.querier.engine.QueryService;
import io.fjord.querier.tail.TailRequest;
import io.fjord.querier.tail.TailService;
import io.fjord.querier.tail.TailSink;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Loki's {@code GET /loki/api/v1/tail} WebSocket. The request is checked before the upgrade
 * (tenant, readiness, parameters, query, the tenant's tail count), so a bad one is an ordinary
 * HTTP 4xx/503 in plain text as in Loki; after the upgrade a {@link TailService} tail sends the
 * messages, and it stops when the client closes the connection. Thread-safe.
 */
public final class TailRoutes implements RouteModule {
  static final String PATH = "/loki/api/v1/tail";
  private static final int CLOSE_POLICY_VIOLATION = 1008;

  private final QueryService service;
  private final TailService tails;
  private final TenantResolver tenants;
  private final boolean multiTenantQueries;
  private final BooleanSupplier ready;
  private final Clock clock;
  private final Map<String, TailService.Tail> bySession = new ConcurrentHashMap<>();

  public TailRoutes(QueryService service, TailService tails, TenantResolver tenants, boolean multiTenantQueries,
      BooleanSupplier ready, Clock clock) {
    this.service = service;
    this.tails = tails;
    this.tenants = tenants;
    this.multiTenantQueries = multiTenantQueries;
    this.ready = ready;
    this.clock = clock;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.wsBeforeUpgrade(PATH, this::check);
    routes.ws(PATH, ws -> {
      ws.onConnect(this::connect);
      ws.onClose(ctx -> stop(ctx));
      ws.onError(ctx -> stop(ctx));
    });
  }

  /**
   * Refuses a bad request before the upgrade. Javalin maps an exception thrown here to a status but
   * does not write the body on the WebSocket path, so the refusal's text is written here first.
   */
  private void check(Context ctx) throws IOException {
    try {
      TailRequest r = request(ctx.header(TenantResolver.HEADER), ctx.queryParamMap());
      tails.checkCapacity(r);
    } catch (ApiException e) {
      byte[] body = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
      ctx.res().setStatus(e.status());
      ctx.res().setContentType("text/plain; charset=utf-8");
      ctx.res().setContentLength(body.length);
      ctx.res().getOutputStream().write(body);
      ctx.res().flushBuffer();
      throw e;
    }
  }

  private void connect(WsConnectContext ctx) {
    ctx.enableAutomaticPings(15, TimeUnit.SECONDS);
    try {
      TailRequest r = request(ctx.header(TenantResolver.HEADER), ctx.queryParamMap());
      bySession.put(ctx.sessionId(), tails.open(r, new Sink(ctx)));
    } catch (ApiException e) {
      ctx.closeSession(CLOSE_POLICY_VIOLATION, e.getMessage());
    }
  }

  private void stop(WsContext ctx) {
    TailService.Tail tail = bySession.remove(ctx.sessionId());
    if (tail != null) {
      tail.close();
    }
  }

  private TailRequest request(String tenantHeader, Map<String, List<String>> query) {
    List<String> t = tenants.readTenants(tenantHeader);
    if (t.size() > 1 && !multiTenantQueries) {
      throw ApiException.badRequest("multiple org IDs present");
    }
    if (!ready.getAsBoolean()) {
      throw new ApiException(503, "querier not ready: ingester discovery has not read the membership topic yet");
    }
    TailRequest r = RequestParser.tail(t, Params.of(Map.of(), query), Math.multiplyExact(clock.millis(), 1_000_000L));
    service.checkTail(r.query(), r.limit());
    return r;
  }

  /** Sends over the session; a close reason is cut to the 123 bytes a close frame allows. */
  private record Sink(WsContext ctx) implements TailSink {
    @Override
    public void send(String message) {
      ctx.send(message);
    }

    @Override
    public void close(int code, String reason) {
      String r = reason.length() > 123 ? reason.substring(0, 123) : reason;
      while (r.getBytes(StandardCharsets.UTF_8).length > 123) {
        r = r.substring(0, r.length() - 1);
      }
      ctx.closeSession(code, r);
    }
  }
}
