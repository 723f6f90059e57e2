package io.fjord.common.http;

import io.fjord.common.metrics.FjordMetrics;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.javalin.router.Endpoint;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Javalin server carrying the routes of the given modules, plus {@code /ready} and, when given
 * the process's {@link FjordMetrics}, {@code /metrics} and a {@link RequestDurations} observation
 * of every request. Every
 * {@link ApiException} becomes its status and plain-text message (as Loki answers errors); anything
 * else becomes a 500 that is logged, so a request can never take the process down. Not thread-safe
 * to start and stop concurrently; serving is Jetty's concern.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
  private final Javalin app;

  /**
   * @param maxRequestBytes the largest request body accepted; larger bodies get a 413
   * @param ready what {@code /ready} reports (200 "ready" or 503 with the reason "not ready")
   */
  public HttpServer(String host, int port, long maxRequestBytes, List<RouteModule> modules, BooleanSupplier ready) {
    this(host, port, maxRequestBytes, modules, ready, null);
  }

  /**
   * @param metrics the process's registry, served on {@code /metrics} and fed with every request's
   *     duration; {@code null} for neither
   */
  public HttpServer(String host, int port, long maxRequestBytes, List<RouteModule> modules, BooleanSupplier ready,
      FjordMetrics metrics) {
    this.app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jetty.host = host;
      cfg.jetty.port = port;
      cfg.http.maxRequestSize = maxRequestBytes;
      cfg.routes.get("/ready", ctx -> {
        if (ready.getAsBoolean()) {
          ctx.result("ready");
        } else {
          ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("not ready");
        }
      });
      for (RouteModule module : modules) {
        module.register(cfg.routes);
      }
      if (metrics != null) {
        metrics.routes().register(cfg.routes);
        RequestDurations durations = new RequestDurations(metrics.registry());
        cfg.requestLogger.http((ctx, millis) -> {
          Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
          durations.record(matched == null ? null : matched.path, ctx.method().name(), ctx.statusCode(), millis);
        });
      }
      cfg.routes.exception(ApiException.class, (e, ctx) -> {
        ctx.status(e.status()).contentType("text/plain; charset=utf-8").result(e.getMessage() + "\n");
      });
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        log.error("unhandled error serving {} {}", ctx.method(), ctx.path(), e);
        ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType("text/plain; charset=utf-8")
            .result("internal error: " + e.getClass().getSimpleName() + "\n");
      });
    });
  }

  public HttpServer start() {
    app.start();
    return this;
  }

  /** The port actually bound (useful when configured as 0). */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
