package io.fjord.app.ops;

import io.fjord.app.config.EffectiveConfig;
import io.fjord.app.config.FjordConfig;
import io.fjord.common.http.ApiException;
import io.fjord.common.http.RouteModule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * The operator routes every Fjord process serves besides its roles' (and besides {@code /ready} and
 * {@code /metrics}, which the HTTP server owns): {@code GET /config} (the effective configuration as
 * YAML, secrets masked), {@code GET /log_level} (the root log level) and
 * {@code POST /log_level?log_level=debug|info|warn|error} (changes it until the process restarts).
 * Thread-safe.
 */
public final class OperatorRoutes implements RouteModule {
  private static final String TEXT = "text/plain; charset=utf-8";

  private final String configYaml;
  private final LogLevels levels;

  public OperatorRoutes(FjordConfig config, LogLevels levels) {
    this.configYaml = EffectiveConfig.yaml(config);
    this.levels = levels;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/config", ctx -> ctx.contentType("text/yaml; charset=utf-8").result(configYaml));
    routes.get("/log_level", ctx -> ctx.contentType(TEXT).result(levels.current() + "\n"));
    routes.post("/log_level", this::setLevel);
  }

  private void setLevel(Context ctx) {
    String level = ctx.queryParam("log_level");
    if (level == null) {
      level = ctx.formParam("log_level");
    }
    try {
      levels.set(level);
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST.getCode(), e.getMessage());
    }
    ctx.contentType(TEXT).result(levels.current() + "\n");
  }
}
