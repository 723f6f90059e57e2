package io.fjord.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The search page at {@code /} of {@code fjord all}, first over plain HTTP (the page and every
 * asset it references, with their content types), then driven in headless Chromium through the
 * system's chromedriver as a user would: run a query and see its lines and histogram, expand a line
 * to its parsed fields, complete label names and values, see the API's error for a bad query,
 * narrow the range from a bar, share the URL, set a tenant, and tail a line pushed after the tail
 * started. Without Chromium the browser tests fail and say how to install it (never skipped).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchPageBrowserTest {
  private static final String CHROMIUM = System.getenv().getOrDefault("FJORD_CHROMIUM", "/usr/bin/chromium");
  private static final String CHROMEDRIVER = System.getenv().getOrDefault("FJORD_CHROMEDRIVER", "/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CART_ALICE = "level=info msg=\"cart viewed\" user=alice";
  private static final String PAYMENT = "{\"level\":\"error\",\"msg\":\"payment failed\",\"order\":{\"id\":42}}";
  private static final String SLOW = "level=warn msg=\"slow checkout\" duration=1.2s";
  private static final String CART_BOB = "level=info msg=\"cart viewed\" user=bob";
  private static final String LOGIN = "user alice logged in";

  private FjordHarness fjord;
  private ChromeDriver chrome;
  /** Whole seconds ten minutes ago; the shop's lines are at base+1..3 s and base+180 s. */
  private final long base = Instant.now().getEpochSecond() - 600;

  @BeforeAll
  void start(@TempDir Path dataDir) throws Exception {
    fjord = new FjordHarness(dataDir, Map.of());
    push(Map.of("app", "shop", "env", "dev"), List.of(
        line(base + 1, CART_ALICE, null),
        line(base + 2, PAYMENT, Map.of("trace_id", "abc123")),
        line(base + 3, SLOW, null)));
    push(Map.of("app", "shop", "env", "prod"), List.of(line(base + 180, CART_BOB, null)));
    push(Map.of("app", "auth", "env", "prod"), List.of(line(base + 4, LOGIN, null)));
    await().atMost(WAIT).untilAsserted(() -> assertThat(fjord.getJson("/loki/api/v1/query_range", null,
        Map.of("query", "{app=~\"shop|auth\"}")).at("/data/result").findValues("values").stream()
        .mapToInt(JsonNode::size).sum()).isEqualTo(5));
  }

  @AfterAll
  void stop() {
    if (chrome != null) {
      chrome.quit();
    }
    if (fjord != null) {
      fjord.close();
    }
  }

  /** One line to push, at a time in nanoseconds; metadata may be null. */
  private record Line(long nanos, String text, Map<String, String> metadata) {}

  private static Line line(long seconds, String line, Map<String, String> metadata) {
    return new Line(seconds * 1_000_000_000L, line, metadata);
  }

  /** A line stamped now, to the millisecond (the page's tail starts at the browser's now). */
  private static Line now(String line) {
    return new Line(System.currentTimeMillis() * 1_000_000L, line, null);
  }

  private void push(Map<String, String> labels, List<Line> values) throws Exception {
    ObjectNode body = FjordHarness.JSON.createObjectNode();
    ObjectNode stream = body.putArray("streams").addObject();
    labels.forEach(stream.putObject("stream")::put);
    ArrayNode vs = stream.putArray("values");
    for (Line v : values) {
      ArrayNode e = vs.addArray().add(Long.toString(v.nanos())).add(v.text());
      if (v.metadata() != null) {
        v.metadata().forEach(e.addObject()::put);
      }
    }
    HttpResponse<String> r = fjord.post("/loki/api/v1/push", null, "application/json", Map.of(),
        FjordHarness.JSON.writeValueAsBytes(body));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }

  /** The one browser of this class, started on first use: missing Chromium fails with the fix. */
  private ChromeDriver chrome() {
    if (chrome != null) {
      return chrome;
    }
    if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
      fail("the search page's browser test needs headless Chromium and its driver at " + CHROMIUM + " and "
          + CHROMEDRIVER + " (or FJORD_CHROMIUM / FJORD_CHROMEDRIVER): on Debian or Ubuntu run"
          + " `sudo apt-get install -y chromium chromium-driver` (.ci/run installs them in CI)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,860", "--lang=en-US", "--no-first-run", "--disable-extensions");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.PERFORMANCE, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
    chrome = new ChromeDriver(service, options);
    return chrome;
  }

  /** Opens the page afresh. */
  private ChromeDriver open(String pathAndQuery) {
    ChromeDriver c = chrome();
    c.get(fjord.base + pathAndQuery);
    return c;
  }

  private WebElement byId(String id) {
    return chrome.findElement(By.id(id));
  }

  private void typeQuery(String q) {
    WebElement input = byId("query");
    input.clear();
    input.sendKeys(q);
  }

  private List<String> shownLines() {
    return chrome.findElements(By.cssSelector("#results .entry .line")).stream().map(WebElement::getText).toList();
  }

  private void awaitLines(String... expected) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(shownLines()).containsExactly(expected));
  }

  /** What the page says (status, error, histogram) for an assertion's description. */
  private String pageState() {
    return "status: " + byId("status").getText() + " | error: " + byId("error").getText() + " | histogram: "
        + byId("histogram").getText();
  }

  private List<String> completions() {
    WebElement list = byId("completions");
    if (!list.isDisplayed()) {
      return List.of();
    }
    return list.findElements(By.cssSelector("li[role=option]")).stream().map(WebElement::getText).toList();
  }

  private int barCount(List<WebElement> bars) {
    return bars.stream().mapToInt(b -> Integer.parseInt(b.getDomAttribute("data-count"))).sum();
  }

  // ----- plain HTTP -----

  @Test
  void rootAnswersHtmlAndEveryReferencedAssetIsServedWithItsContentType() throws Exception {
    HttpResponse<String> page = fjord.get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(normalized(page)).isEqualTo("text/html;charset=utf-8");
    Map<String, String> expected = new LinkedHashMap<>();
    Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
    while (refs.find()) {
      expected.put(refs.group(1), type(refs.group(1)));
    }
    List<String> modules = new ArrayList<>(expected.keySet().stream().filter(p -> p.endsWith(".js")).toList());
    for (int i = 0; i < modules.size(); i++) {
      Matcher imports = Pattern.compile("(?m)^import\\s.*?from\\s+'\\./([^']+)'").matcher(fjord.get(modules.get(i), null).body());
      while (imports.find()) {
        String path = "/ui/" + imports.group(1);
        if (expected.put(path, type(path)) == null) {
          modules.add(path);
        }
      }
    }
    assertThat(expected).containsKeys("/ui/app.js", "/ui/style.css", "/ui/histogram.js", "/ui/tail.js");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      HttpResponse<String> r = fjord.get(e.getKey(), null);
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(200);
      assertThat(normalized(r)).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  private static String type(String path) {
    return path.endsWith(".js") ? "text/javascript;charset=utf-8" : path.endsWith(".css") ? "text/css;charset=utf-8"
        : path.endsWith(".svg") ? "image/svg+xml" : "unknown";
  }

  private static String normalized(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(Locale.ROOT);
  }

  // ----- in the browser -----

  @Test
  void aQueryShowsItsLinesNewestFirstAndAHistogramOfThem() throws Exception {
    open("/");
    typeQuery("{app=\"shop\"}" + Keys.ENTER);
    awaitLines(CART_BOB, SLOW, PAYMENT, CART_ALICE);
    List<WebElement> bars = chrome.findElements(By.cssSelector("#histogram rect.bar"));
    // one-minute steps over the last hour: base+1..3 s and base+180 s cannot share a bar
    assertThat(bars).as(pageState()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(barCount(bars)).isEqualTo(4);
    assertThat(byId("histogram").isDisplayed()).isTrue();
    assertThat(byId("status").getText()).startsWith("4 lines shown of 4 matching");
    assertThat(chrome.findElements(By.cssSelector("#results .entry .labels")).get(0).getText())
        .isEqualTo("{app=\"shop\", env=\"prod\"}");

    WebElement payment = chrome.findElements(By.cssSelector("#results .entry")).get(2);
    payment.findElement(By.cssSelector("button.expand")).click();
    WebElement details = payment.findElement(By.cssSelector(".details"));
    assertThat(rows(details, "Parsed fields (json)")).containsEntry("order_id", "42")
        .containsEntry("msg", "payment failed").containsEntry("level", "error");
    assertThat(rows(details, "Stream labels")).containsEntry("app", "shop").containsEntry("env", "dev");
    assertThat(details.getText()).contains("trace_id").contains("abc123");
    // the picture in docs/search-page.png (copied from target/ by hand, see docs/search-page.md)
    Path png = Path.of("target", "search-page.png");
    Files.createDirectories(png.getParent());
    Files.copy(chrome.getScreenshotAs(OutputType.FILE).toPath(), png, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(png)).isGreaterThan(10_000);

    WebElement slow = chrome.findElements(By.cssSelector("#results .entry")).get(1);
    slow.findElement(By.cssSelector("button.expand")).click();
    assertThat(rows(slow.findElement(By.cssSelector(".details")), "Parsed fields (logfmt)"))
        .containsExactly(entry("level", "warn"), entry("msg", "slow checkout"), entry("duration", "1.2s"));

  }

  /** name → value of the details table with this caption. */
  private static Map<String, String> rows(WebElement details, String caption) {
    for (WebElement table : details.findElements(By.tagName("table"))) {
      if (table.findElement(By.tagName("caption")).getText().equals(caption)) {
        Map<String, String> out = new LinkedHashMap<>();
        for (WebElement tr : table.findElements(By.tagName("tr"))) {
          out.put(tr.findElement(By.tagName("th")).getText(), tr.findElement(By.tagName("td")).getText());
        }
        return out;
      }
    }
    throw new AssertionError("no table '" + caption + "' in: " + details.getText());
  }

  @Test
  void completionOffersLabelNamesAndValuesAndTakesTheChosenOne() {
    open("/");
    typeQuery("{app=\"");
    await().atMost(WAIT).untilAsserted(() -> assertThat(completions()).containsExactly("auth", "shop"));
    WebElement input = byId("query");
    input.sendKeys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ENTER);
    assertThat(input.getDomProperty("value")).isEqualTo("{app=\"shop\"");

    input.sendKeys(", e");
    await().atMost(WAIT).untilAsserted(() -> assertThat(completions()).containsExactly("env"));
    input.sendKeys(Keys.TAB);
    assertThat(input.getDomProperty("value")).isEqualTo("{app=\"shop\", env=\"");
    await().atMost(WAIT).untilAsserted(() -> assertThat(completions()).containsExactly("dev", "prod"));
    input.sendKeys("pr");
    await().atMost(WAIT).untilAsserted(() -> assertThat(completions()).containsExactly("prod"));
    input.sendKeys(Keys.TAB);
    assertThat(input.getDomProperty("value")).isEqualTo("{app=\"shop\", env=\"prod\"");
    input.sendKeys("}", Keys.ENTER);
    awaitLines(CART_BOB);
  }

  @Test
  void aBadQueryShowsTheApisOwnError() throws Exception {
    String bad = "{app=\"shop\"} |= ";
    HttpResponse<String> api = fjord.get("/loki/api/v1/query_range", null, Map.of("query", bad));
    assertThat(api.statusCode()).isEqualTo(400);
    open("/");
    typeQuery(bad + Keys.ENTER);
    await().atMost(WAIT).untilAsserted(() -> assertThat(byId("error").getText()).isEqualTo(api.body().trim()));
    assertThat(byId("error").getDomAttribute("role")).isEqualTo("alert");
    assertThat(byId("status").getText()).isEqualTo("The server answered 400.");
    assertThat(shownLines()).isEmpty();
  }

  @Test
  void clickingABarNarrowsTheRangeToIt() {
    open("/");
    typeQuery("{app=\"shop\"}" + Keys.ENTER);
    awaitLines(CART_BOB, SLOW, PAYMENT, CART_ALICE);
    List<WebElement> bars = chrome.findElements(By.cssSelector("#histogram rect.bar"));
    WebElement last = bars.get(bars.size() - 1);
    assertThat(last.getDomAttribute("data-count")).isEqualTo("1");
    new Actions(chrome).moveToElement(last).click().perform();
    awaitLines(CART_BOB);
    assertThat(new Select(byId("range")).value()).isEqualTo("abs");
    assertThat(chrome.getCurrentUrl()).contains("from=").contains("to=").doesNotContain("range=");
  }

  @Test
  void theKeyboardNarrowsTheRangeToTheChosenBarsToo() {
    open("/");
    typeQuery("{app=\"shop\"}" + Keys.ENTER);
    awaitLines(CART_BOB, SLOW, PAYMENT, CART_ALICE);
    // the last ten one-minute bars: bob's line (about 7 min before now) is in them, the lines of
    // base+1..3 s (ten minutes and the harness's start-up before now) are not
    WebElement chart = chrome.findElement(By.cssSelector("#histogram svg"));
    chart.sendKeys(Keys.ARROW_LEFT);
    for (int i = 0; i < 9; i++) {
      chart.sendKeys(Keys.chord(Keys.SHIFT, Keys.ARROW_LEFT));
    }
    chart.sendKeys(Keys.ENTER);
    awaitLines(CART_BOB);
    assertThat(new Select(byId("range")).value()).isEqualTo("abs");
  }

  @Test
  void theUrlCarriesTheQueryAndRangeSoALinkReopensTheSameSearch() {
    open("/");
    typeQuery("{app=\"auth\"}");
    new Select(byId("range")).select("24h");
    byId("run").click();
    awaitLines(LOGIN);
    String url = chrome.getCurrentUrl();
    assertThat(url).contains("query=%7Bapp%3D%22auth%22%7D").contains("range=24h");

    chrome.get("about:blank");
    chrome.get(url);
    awaitLines(LOGIN);
    assertThat(byId("query").getDomProperty("value")).isEqualTo("{app=\"auth\"}");
    assertThat(new Select(byId("range")).value()).isEqualTo("24h");
  }

  @Test
  void aTenantIsKeptInLocalStorageAndSentAsXScopeOrgId() {
    open("/");
    try {
      chrome.manage().logs().get(LogType.PERFORMANCE); // drop what came before
      byId("tenant").sendKeys("acme", Keys.TAB);
      typeQuery("{app=\"auth\"}" + Keys.ENTER);
      awaitLines(LOGIN); // auth is off in this process, so every tenant reads the tenant "fake"
      List<String> sent = new ArrayList<>();
      for (LogEntry e : chrome.manage().logs().get(LogType.PERFORMANCE)) {
        JsonNode m = FjordHarness.JSON.readTree(e.getMessage()).path("message");
        String url = m.at("/params/request/url").asText();
        if (m.path("method").asText().equals("Network.requestWillBeSent") && url.contains("/loki/api/v1/query_range")) {
          sent.add(m.at("/params/request/headers/X-Scope-OrgID").asText("(none)"));
        }
      }
      assertThat(sent).hasSize(2).containsOnly("acme"); // the log query and the histogram's
      chrome.navigate().refresh();
      assertThat(byId("tenant").getDomProperty("value")).isEqualTo("acme");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      ((JavascriptExecutor) chrome).executeScript("localStorage.clear()");
    }
  }

  @Test
  void liveTailShowsALinePushedAfterItStartedAtTheTop() throws Exception {
    open("/");
    typeQuery("{job=\"browser-tail\"}" + Keys.ENTER);
    await().atMost(WAIT).untilAsserted(() -> assertThat(byId("status").getText()).startsWith("0 lines shown"));
    byId("tail").click();
    await().atMost(WAIT).untilAsserted(() -> assertThat(byId("status").getText()).as(pageState())
        .isEqualTo("Live tail: tailing"));

    String first = "tailed " + UUID.randomUUID();
    push(Map.of("job", "browser-tail"), List.of(now(first)));
    awaitLines(first);
    String second = "tailed later " + UUID.randomUUID();
    push(Map.of("job", "browser-tail"), List.of(now(second)));
    awaitLines(second, first);

    byId("tail").click();
    assertThat(byId("status").getText()).isEqualTo("Live tail stopped.");
    assertThat(byId("error").isDisplayed()).isFalse();
  }

  @Test
  void withATenantSetTheTailPollsTheQueryApiInstead() throws Exception {
    open("/");
    try {
      byId("tenant").sendKeys("acme", Keys.TAB);
      typeQuery("{job=\"browser-poll\"}" + Keys.ENTER);
      await().atMost(WAIT).untilAsserted(() -> assertThat(byId("status").getText()).startsWith("0 lines shown"));
      byId("tail").click();
      await().atMost(WAIT).untilAsserted(() -> assertThat(byId("status").getText()).as(pageState())
          .isEqualTo("Live tail: tailing (polling, since a tenant is set)"));
      String line = "polled " + UUID.randomUUID();
      push(Map.of("job", "browser-poll"), List.of(now(line)));
      awaitLines(line);
      byId("tail").click();
      assertThat(byId("status").getText()).isEqualTo("Live tail stopped.");
    } finally {
      ((JavascriptExecutor) chrome).executeScript("localStorage.clear()");
    }
  }

  /** Runs {@code body} (which may await) in the page with the named modules imported; its JSON. */
  private String inPage(String body) {
    Object r = ((JavascriptExecutor) chrome).executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "Promise.all(['complete', 'fields', 'time', 'histogram'].map((m) => import(`/ui/${m}.js`)))"
        + ".then(([complete, fields, time, histogram]) => done(JSON.stringify((() => {" + body + "})())))"
        + ".catch((e) => done('error: ' + e));");
    return String.valueOf(r);
  }

  @Test
  void thePagesPureFunctionsGiveTheWorkedOutAnswers() {
    open("/");
    assertThat(inPage("return ['{', '{app=\"shop\", en', '{app=~\"sh', '{app!=', '{app=\"a}b\", x=\"',"
        + " '{app=\"shop\"} |= \"{', 'sum(rate({app=\"x\"}[1m]))'].map(complete.completionContext);"))
        .isEqualTo("[{\"kind\":\"name\",\"prefix\":\"\"},{\"kind\":\"name\",\"prefix\":\"en\"},"
            + "{\"kind\":\"value\",\"name\":\"app\",\"prefix\":\"sh\",\"quoted\":true},"
            + "{\"kind\":\"value\",\"name\":\"app\",\"prefix\":\"\",\"quoted\":false},"
            + "{\"kind\":\"value\",\"name\":\"x\",\"prefix\":\"\",\"quoted\":true},null,null]");
    assertThat(inPage("return [fields.logfmt('a=1 b=\"x \\\\\"y\\\\\"\" c'), fields.logfmt('hello world'),"
        + " fields.parseFields('{\"a\":{\"b\":1},\"c\":\"d\",\"e\":null}')];"))
        .isEqualTo("[[{\"name\":\"a\",\"value\":\"1\"},{\"name\":\"b\",\"value\":\"x \\\"y\\\"\"},"
            + "{\"name\":\"c\",\"value\":\"\"}],[],{\"parser\":\"json\",\"fields\":[{\"name\":\"a_b\",\"value\":\"1\"},"
            + "{\"name\":\"c\",\"value\":\"d\"},{\"name\":\"e\",\"value\":\"\"}]}]");
    // 1h / 60 bars = 60 s; 7d / 60 = 10080 s, whose next nice step is 3h; 5m / 60 = 5 s
    assertThat(inPage("return [3600000, 604800000, 300000].map((r) => time.stepText(time.histogramStep(r)));"))
        .isEqualTo("[\"1m\",\"3h\",\"5s\"]");
    assertThat(inPage("return [time.msToNs(1700000000123), time.nsToMs('1700000000123456789')];"))
        .isEqualTo("[\"1700000000123000000\",1700000000123]");
    // bars end at 0, 10 s and 20 s; two series' counts at 10 s add up, a point at 15 s belongs to (10 s, 20 s]
    assertThat(inPage("return histogram.buckets([{values: [[10, '2'], [15, '1']]}, {values: [[10, '3']]}],"
        + " 0, 20000, 10000).map((b) => b.count);"))
        .isEqualTo("[0,5,1]");
  }

  /** A small view of a select element (Selenium's support Select needs nothing more). */
  private record Select(WebElement element) {
    String value() {
      return element.getDomProperty("value");
    }

    void select(String value) {
      element.findElement(By.cssSelector("option[value='" + value + "']")).click();
    }
  }

  /**
   * Awaitility's wait, retrying also when the page replaced an element between finding it and reading
   * it (it re-renders results as answers arrive), which on a loaded machine happens mid-assertion.
   */
  private static ConditionFactory await() {
    return Awaitility.await().ignoreException(StaleElementReferenceException.class);
  }
}
