package io.fjord.ui;

import io.fjord.common.http.ApiException;
import io.fjord.common.http.RouteModule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The built-in search page: {@code GET /} answers {@code index.html} and {@code GET /ui/<name>} the
 * page's other assets, all read from this jar once at construction (a missing asset fails start-up,
 * not a request). Only the names in {@link #ASSETS} are served, so no path reaches the class path.
 * A Content-Security-Policy keeps the page to its own origin (no CDN, no external fonts). Immutable
 * and thread-safe.
 */
public final class UiRoutes implements RouteModule {
  /** Where the assets live in the jar. */
  static final String RESOURCE_DIR = "/io/fjord/ui/";
  /** The URL path the assets other than the page itself are served under. */
  public static final String ASSET_PATH = "/ui/";
  /** Every asset besides {@code index.html}; a test checks this against what the page references. */
  static final List<String> ASSETS = List.of("app.js", "api.js", "time.js", "complete.js", "histogram.js",
      "results.js", "fields.js", "tail.js", "style.css", "favicon.svg");
  static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
      + " connect-src 'self'%s; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
  /** A Host header safe to repeat in the policy: a name or address and a port, nothing else. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

  private record Asset(String contentType, byte[] body) {}

  private final Asset index;
  private final Map<String, Asset> assets = new LinkedHashMap<>();

  public UiRoutes() {
    this.index = load("index.html");
    for (String name : ASSETS) {
      assets.put(name, load(name));
    }
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/", ctx -> send(ctx, index));
    routes.get(ASSET_PATH + "{name}", ctx -> {
      Asset a = assets.get(ctx.pathParam("name"));
      if (a == null) {
        throw new ApiException(404, "no such asset: " + ctx.pathParam("name"));
      }
      send(ctx, a);
    });
  }

  private static void send(Context ctx, Asset a) {
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Content-Security-Policy", policy(ctx.header("Host")));
    ctx.contentType(a.contentType()).result(a.body());
  }

  /**
   * The policy for a page reached through {@code host}: 'self', and the live tail's WebSocket to the
   * same host named outright, since not every browser counts ws: and wss: as 'self'.
   */
  static String policy(String host) {
    boolean named = host != null && HOST.matcher(host).matches();
    return String.format(CSP, named ? " ws://" + host + " wss://" + host : "");
  }

  private static Asset load(String name) {
    try (InputStream in = UiRoutes.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("search page asset missing from the jar: " + RESOURCE_DIR + name);
      }
      return new Asset(contentType(name), in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read search page asset " + name, e);
    }
  }

  /** The content type of an asset, by its extension. */
  static String contentType(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "js" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      default -> throw new IllegalArgumentException("no content type for asset " + name);
    };
  }
}
