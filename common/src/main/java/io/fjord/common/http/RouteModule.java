package io.fjord.common.http;

import io.javalin.config.RoutesConfig;

/**
 * The HTTP routes of one role (distributor, ingester, querier). A server is composed of one or more
 * modules: {@code fjord all} mounts all three on one port, a single-role process mounts its own.
 */
public interface RouteModule {
  void register(RoutesConfig routes);
}
