package io.fjord.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.common.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The search page served by a real {@link HttpServer}: {@code /} is HTML, and every asset reachable
 * from it (src/href in the page, imports in the modules) is served with its content type, from this
 * origin only; nothing else under {@code /ui/} is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiRoutesTest {
  private static final Pattern HTML_REF = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
  private static final Pattern JS_IMPORT = Pattern.compile("(?m)^import\\s.*?from\\s+'([^']+)'");

  private HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  @BeforeAll
  void start() {
    server = new HttpServer("127.0.0.1", 0, 1 << 20, List.of(new UiRoutes()), () -> true).start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The Content-Type without spaces, lower case (Jetty writes "text/html;charset=utf-8"). */
  private static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
  }

  @Test
  void rootIsTheHtmlPageWithAPolicyThatKeepsItToItsOwnOrigin() throws Exception {
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("text/html;charset=utf-8");
    assertThat(r.headers().firstValue("Content-Security-Policy")).get().asString()
        .contains("default-src 'self'")
        .contains("connect-src 'self' ws://127.0.0.1:" + server.port() + " wss://127.0.0.1:" + server.port() + ";");
    assertThat(r.body()).startsWith("<!doctype html>").contains("<script type=\"module\" src=\"/ui/app.js\">");
  }

  @Test
  void everyAssetThePageReachesIsServedWithItsContentTypeAndNoneIsExternal() throws Exception {
    Set<String> reached = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    Matcher m = HTML_REF.matcher(get("/").body());
    while (m.find()) {
      todo.add(m.group(1));
    }
    while (!todo.isEmpty()) {
      String ref = todo.poll();
      assertThat(ref).as("asset reference").startsWith("/ui/").doesNotContain("//");
      if (!reached.add(ref)) {
        continue;
      }
      HttpResponse<String> r = get(ref);
      assertThat(r.statusCode()).as(ref).isEqualTo(200);
      String expected = ref.endsWith(".js") ? "text/javascript;charset=utf-8"
          : ref.endsWith(".css") ? "text/css;charset=utf-8"
          : ref.endsWith(".svg") ? "image/svg+xml" : "unexpected asset " + ref;
      assertThat(contentType(r)).as(ref).isEqualTo(expected);
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(ref).hasValue("nosniff");
      assertThat(r.body()).as(ref).doesNotContain("https://").doesNotContain("@import").doesNotContain("url(http");
      if (ref.endsWith(".js")) {
        Matcher imp = JS_IMPORT.matcher(r.body());
        while (imp.find()) {
          assertThat(imp.group(1)).as("import in " + ref).startsWith("./");
          todo.add("/ui/" + imp.group(1).substring(2));
        }
      }
    }
    assertThat(reached).containsExactlyInAnyOrderElementsOf(UiRoutes.ASSETS.stream().map(a -> "/ui/" + a).toList());
  }

  @Test
  void aHostHeaderThatCouldBreakThePolicyIsNotRepeatedInIt() {
    assertThat(UiRoutes.policy("logs.example.org:3100")).contains("connect-src 'self' ws://logs.example.org:3100"
        + " wss://logs.example.org:3100; base-uri");
    assertThat(UiRoutes.policy("[::1]:3100")).contains("connect-src 'self' ws://[::1]:3100 wss://[::1]:3100;");
    for (String bad : new String[] {null, "", "evil.org; script-src *", "a b", "host:99999999"}) {
      assertThat(UiRoutes.policy(bad)).as(String.valueOf(bad)).contains("connect-src 'self'; base-uri");
    }
  }

  @Test
  void namesOutsideTheAssetListAreNotFound() throws Exception {
    for (String path : List.of("/ui/index.html.bak", "/ui/UiRoutes.class", "/ui/..%2FUiRoutes.class", "/ui/")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
    }
    assertThat(get("/ui/nope.js").body()).isEqualTo("no such asset: nope.js\n");
  }
}
