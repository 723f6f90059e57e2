package io.fjord.querier.http;

import io.fjord.common.http.ApiException;
import io.fjord.common.http.RouteModule;
import io.fjord.common.tenant.TenantResolver;
import io.fjord.querier.engine.DetectedFields;
import io.fjord.querier.engine.QueryService;
import io.fjord.querier.engine.RangeQuery;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Loki's query API over HTTP: {@code query_range}, {@code query}, {@code labels}, {@code
 * label/<name>/values}, {@code series}, {@code format_query}, {@code index/stats}, {@code index/volume}, {@code index/volume_range}, {@code detected_labels}, {@code detected_fields}, {@code detected_field/<name>/values} and {@code status/buildinfo}. Each handler reads the tenant
 * and the parameters, calls the {@link QueryService} and writes Loki's JSON; errors are thrown as
 * {@link ApiException}s for the server's one mapper to answer in plain text. Queries are refused
 * with a 503 until discovery is ready, since an answer without every ingester would be incomplete.
 * Thread-safe.
 */
public final class QuerierRoutes implements RouteModule {
  private static final String API = "/loki/api/v1";
  private static final String JSON = "application/json; charset=utf-8";
  /** Loki's default {@code limit} and {@code line_limit} of the detected-field endpoints. */
  private static final int DETECTED_DEFAULT_LIMIT = 1000;

  private final QueryService service;
  private final TenantResolver tenants;
  private final boolean multiTenantQueries;
  private final BooleanSupplier ready;
  private final Clock clock;
  private final byte[] buildInfo;

  public QuerierRoutes(QueryService service, TenantResolver tenants, boolean multiTenantQueries,
      BooleanSupplier ready, Clock clock) {
    this.service = service;
    this.tenants = tenants;
    this.multiTenantQueries = multiTenantQueries;
    this.ready = ready;
    this.clock = clock;
    this.buildInfo = LokiJson.buildInfo(BuildInfo.current());
  }

  @Override
  public void register(RoutesConfig routes) {
    both(routes, API + "/query_range", this::queryRange);
    both(routes, API + "/query", this::instantQuery);
    both(routes, API + "/labels", this::labelNames);
    both(routes, API + "/label", this::labelNames);
    both(routes, API + "/label/{name}/values", this::labelValues);
    both(routes, API + "/series", this::series);
    both(routes, API + "/format_query", this::formatQuery);
    both(routes, API + "/index/stats", this::indexStats);
    both(routes, API + "/detected_labels", this::detectedLabels);
    both(routes, API + "/detected_fields", this::detectedFields);
    both(routes, API + "/detected_field/{name}/values", this::detectedFieldValues);
    both(routes, API + "/index/volume", ctx -> volume(ctx, false));
    both(routes, API + "/index/volume_range", ctx -> volume(ctx, true));
    routes.get(API + "/status/buildinfo", ctx -> ctx.contentType(JSON).result(buildInfo));
  }

  private static void both(RoutesConfig routes, String path, Handler handler) {
    routes.get(path, handler);
    routes.post(path, handler);
  }

  private void queryRange(Context ctx) {
    List<String> t = tenants(ctx);
    RangeQuery q = RequestParser.rangeQuery(params(ctx), nowNanos());
    json(ctx, LokiJson.queryResult(service.rangeQuery(t, q)));
  }

  private void instantQuery(Context ctx) {
    List<String> t = tenants(ctx);
    Params p = params(ctx);
    long time = RequestParser.time(p, nowNanos());
    int limit = RequestParser.limit(p);
    RequestParser.direction(p); // validated as Loki does; only log queries would use it
    json(ctx, LokiJson.queryResult(service.instantQuery(t, p.get("query"), time, limit)));
  }

  private void labelNames(Context ctx) {
    List<String> t = tenants(ctx);
    Params p = params(ctx);
    RequestParser.Range r = RequestParser.labelsRange(p, nowNanos());
    json(ctx, LokiJson.stringList(service.labels(t, r.startNanos(), r.endNanos(), null, p.get("query"))));
  }

  private void labelValues(Context ctx) {
    List<String> t = tenants(ctx);
    Params p = params(ctx);
    RequestParser.Range r = RequestParser.labelsRange(p, nowNanos());
    String name = ctx.pathParam("name");
    json(ctx, LokiJson.stringList(service.labels(t, r.startNanos(), r.endNanos(), name, p.get("query"))));
  }

  private void series(Context ctx) {
    List<String> t = tenants(ctx);
    Params p = params(ctx);
    RequestParser.Range r = RequestParser.seriesRange(p, nowNanos());
    json(ctx, LokiJson.series(service.series(t, r.startNanos(), r.endNanos(), p.all("match[]"))));
  }

  private void formatQuery(Context ctx) {
    json(ctx, LokiJson.formattedQuery(service.format(params(ctx).get("query"))));
  }

  private void indexStats(Context ctx) {
    List<String> t = tenants(ctx);
    Params p = params(ctx);
    RequestParser.Range r = RequestParser.seriesRange(p, nowNanos());
    json(ctx, LokiJson.indexStats(service.index().stats(t, p.get("query"), r.startNanos(), r.endNanos())));
  }

  private void detectedLabels(Context ctx) {
    List<String> t = tenants(ctx);
    Params p = params(ctx);
    RequestParser.Range r = RequestParser.seriesRange(p, nowNanos());
    json(ctx, LokiJson.detectedLabels(service.detectedLabels(t, r.startNanos(), r.endNanos(), p.get("query"))));
  }

  private void detectedFields(Context ctx) {
    List<String> t = tenants(ctx);
    Params p = params(ctx);
    RequestParser.Range r = RequestParser.seriesRange(p, nowNanos());
    int limit = RequestParser.positive(p, "limit", DETECTED_DEFAULT_LIMIT);
    DetectedFields fields = service.detectFields(t, p.get("query"), r.startNanos(), r.endNanos(),
        RequestParser.positive(p, "line_limit", DETECTED_DEFAULT_LIMIT));
    json(ctx, LokiJson.detectedFields(fields.fields(limit), limit));
  }

  private void detectedFieldValues(Context ctx) {
    List<String> t = tenants(ctx);
    Params p = params(ctx);
    RequestParser.Range r = RequestParser.seriesRange(p, nowNanos());
    int limit = RequestParser.positive(p, "limit", DETECTED_DEFAULT_LIMIT);
    DetectedFields fields = service.detectFields(t, p.get("query"), r.startNanos(), r.endNanos(),
        RequestParser.positive(p, "line_limit", DETECTED_DEFAULT_LIMIT));
    json(ctx, LokiJson.detectedFieldValues(fields.values(ctx.pathParam("name"), limit), limit));
  }

  private void volume(Context ctx, boolean range) {
    List<String> t = tenants(ctx);
    Params p = params(ctx);
    RequestParser.Volume v = RequestParser.volume(p, nowNanos(), range);
    json(ctx, LokiJson.queryResult(service.index().volume(t, p.get("query"), v.startNanos(), v.endNanos(), v.limit(),
        v.targetLabels(), v.aggregateBy(), v.stepNanos())));
  }

  /** The caller's tenants; also refuses queries before discovery is ready. */
  private List<String> tenants(Context ctx) {
    List<String> t = tenants.readTenants(ctx.header(TenantResolver.HEADER));
    if (t.size() > 1 && !multiTenantQueries) {
      throw ApiException.badRequest("multiple org IDs present");
    }
    if (!ready.getAsBoolean()) {
      throw new ApiException(503, "querier not ready: ingester discovery has not read the membership topic yet");
    }
    return t;
  }

  private static Params params(Context ctx) {
    String type = ctx.contentType();
    boolean form = type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    Map<String, List<String>> body = form ? ctx.formParamMap() : Map.of();
    return Params.of(body, ctx.queryParamMap());
  }

  private long nowNanos() {
    return Math.multiplyExact(clock.millis(), 1_000_000L);
  }

  private static void json(Context ctx, byte[] body) {
    ctx.contentType(JSON).result(body);
  }
}
