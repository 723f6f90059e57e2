package io.fjord.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The log data the codec benchmark runs on: a seeded, generated mix of the log shapes Loki stores
 * most (logfmt service logs, JSON application logs, nginx access logs, Java logs with stack traces,
 * each with realistic high-cardinality parts: ids, durations, sizes, addresses), or the conformance
 * kit's data set. The same seed always gives the same bytes. Immutable once built.
 */
final class LogCorpus {
  /** One stream: its labels and its entries in timestamp order. */
  record Stream(Labels labels, List<LogEntry> entries) {
    long lineBytes() {
      long n = 0;
      for (LogEntry e : entries) {
        n += e.line().getBytes(StandardCharsets.UTF_8).length;
      }
      return n;
    }
  }

  private static final long START_NANOS = 1_795_132_800_000_000_000L; // 2026-11-20T00:00:00Z
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_MS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SPRING = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
      .withZone(ZoneOffset.UTC);

  private LogCorpus() {}

  /** About {@code targetBytes} of line bytes over 8 streams (2 of each shape), from {@code seed}. */
  static List<Stream> generate(long seed, long targetBytes) {
    Random r = new Random(seed);
    List<Stream> out = new ArrayList<>();
    String[] shapes = {"logfmt", "json", "access", "java"};
    long perStream = targetBytes / 8;
    for (int i = 0; i < 8; i++) {
      String shape = shapes[i % 4];
      Labels labels = Labels.of("app", switch (shape) {
        case "logfmt" -> "checkout";
        case "json" -> "orders";
        case "access" -> "nginx";
        default -> "inventory";
      }, "env", "prod", "namespace", "shop", "pod", shape + "-7f9c" + (char) ('a' + i), "cluster", "eu-west-1");
      Gen gen = new Gen(new Random(r.nextLong()), shape);
      List<LogEntry> entries = new ArrayList<>();
      long ts = START_NANOS + r.nextInt(1_000_000);
      long bytes = 0;
      while (bytes < perStream) {
        ts += 1 + (long) (-Math.log(1 - gen.r.nextDouble()) * 20_000_000); // ~50 lines/s, Poisson
        LogEntry e = gen.next(ts);
        entries.add(e);
        bytes += e.line().getBytes(StandardCharsets.UTF_8).length;
      }
      out.add(new Stream(labels, entries));
    }
    return out;
  }

  /**
   * The conformance kit's data set: Loki JSON push bodies, one per line, gzip-compressed. Entries
   * of a stream are sorted by timestamp (stable, so equal timestamps keep push order); structured
   * metadata stays with its entry.
   */
  static List<Stream> loadPushBodies(Path jsonlGz) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<Labels, List<LogEntry>> streams = new TreeMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(jsonlGz)), StandardCharsets.UTF_8))) {
      for (String body = in.readLine(); body != null; body = in.readLine()) {
        for (JsonNode s : json.readTree(body).path("streams")) {
          Map<String, String> labels = new HashMap<>();
          s.path("stream").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
          List<LogEntry> entries = streams.computeIfAbsent(Labels.of(labels), k -> new ArrayList<>());
          for (JsonNode v : s.path("values")) {
            Map<String, String> md = new HashMap<>();
            if (v.size() > 2) {
              for (Iterator<Map.Entry<String, JsonNode>> it = v.get(2).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                md.put(f.getKey(), f.getValue().asText());
              }
            }
            entries.add(new LogEntry(Long.parseLong(v.get(0).asText()), v.get(1).asText(), Labels.of(md)));
          }
        }
      }
    }
    List<Stream> out = new ArrayList<>();
    streams.forEach((labels, entries) -> {
      entries.sort(Comparator.comparingLong(LogEntry::timestampNanos));
      out.add(new Stream(labels, entries));
    });
    return out;
  }

  /** Generates lines of one shape; single-threaded. */
  private static final class Gen {
    private static final String[] LEVELS = {"info", "info", "info", "info", "info", "info", "debug", "debug", "warn", "error"};
    private static final String[] METHODS = {"GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"};
    private static final String[] PATHS = {"/api/v1/cart", "/api/v1/cart/items", "/api/v1/orders", "/api/v1/orders/%d",
        "/api/v1/products/%d", "/api/v1/products", "/api/v1/users/%d/addresses", "/healthz", "/metrics",
        "/api/v1/checkout", "/api/v1/payments/%d/confirm", "/static/js/app.%x.js", "/static/css/main.%x.css",
        "/images/products/%d.webp", "/api/v1/search"};
    private static final int[] STATUS = {200, 200, 200, 200, 200, 200, 200, 200, 200, 201, 204, 301, 304, 304, 400,
        401, 404, 404, 500, 502, 503};
    private static final String[] MSGS = {"request done", "cache miss", "cache hit", "retrying upstream",
        "slow query", "payment authorized", "payment declined", "cart updated", "session refreshed",
        "rate limited", "upstream timeout", "order placed", "inventory reserved"};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "kube-probe/1.31", "Prometheus/2.55.1", "curl/8.11.0", "python-requests/2.32.3", "okhttp/4.12.0"};
    private static final String[] LOGGERS = {"c.s.i.web.StockController", "c.s.i.service.StockService",
        "c.s.i.repo.StockRepository", "o.s.web.servlet.DispatcherServlet", "c.s.i.kafka.StockEventListener",
        "c.z.hikari.pool.HikariPool", "c.s.i.client.WarehouseClient"};
    private static final String[] EXCEPTIONS = {
        "java.lang.IllegalStateException: Stock for sku %d would go negative",
        "org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection",
        "java.net.SocketTimeoutException: Read timed out after %d ms",
        "com.shop.inventory.client.WarehouseException: warehouse %d answered 503",
        "java.lang.NullPointerException: Cannot invoke \"com.shop.inventory.model.Sku.getId()\" because \"sku\" is null"};
    private static final String[] FRAMES = {
        "com.shop.inventory.service.StockService.reserve(StockService.java:%d)",
        "com.shop.inventory.service.StockService.reserveAll(StockService.java:%d)",
        "com.shop.inventory.web.StockController.reserve(StockController.java:%d)",
        "com.shop.inventory.client.WarehouseClient.call(WarehouseClient.java:%d)",
        "com.shop.inventory.repo.StockRepository.lock(StockRepository.java:%d)",
        "org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119)",
        "org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:184)",
        "org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept(CglibAopProxy.java:720)",
        "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
        "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:138)",
        "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1769)",
        "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)",
        "java.base/java.lang.Thread.run(Thread.java:1583)",
        "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)",
        "java.base/sun.nio.ch.NioSocketImpl.read(NioSocketImpl.java:288)"};

    final Random r;
    private final String shape;
    private long seq;

    Gen(Random r, String shape) {
      this.r = r;
      this.shape = shape;
    }

    LogEntry next(long ts) {
      seq++;
      return switch (shape) {
        case "logfmt" -> new LogEntry(ts, logfmt(ts));
        case "json" -> json(ts);
        case "access" -> new LogEntry(ts, access(ts));
        default -> new LogEntry(ts, java(ts));
      };
    }

    private String logfmt(long ts) {
      String level = pick(LEVELS);
      String msg = pick(MSGS);
      return "ts=" + ISO.format(instant(ts)) + " level=" + level + " caller=" + pick(new String[] {"handler.go",
          "cart.go", "payment.go", "client.go"}) + ":" + (40 + r.nextInt(300)) + " msg=\"" + msg + "\" method="
          + pick(METHODS) + " path=" + path() + " status=" + pick(STATUS) + " duration=" + duration()
          + " bytes=" + (r.nextInt(5) == 0 ? r.nextInt(2_000_000) : r.nextInt(9000)) + " user_id=u-"
          + zipf(200_000) + " trace_id=" + hex(32) + (level.equals("error") ? " err=\"dial tcp 10.0."
          + r.nextInt(16) + "." + r.nextInt(256) + ":5432: connect: connection refused\"" : "");
    }

    private LogEntry json(long ts) {
      String trace = hex(32);
      String span = hex(16);
      String level = pick(LEVELS).toUpperCase(Locale.ROOT);
      long order = 900_000 + seq;
      String message = switch (r.nextInt(6)) {
        case 0 -> "Order " + order + " placed by customer " + zipf(80_000) + " (" + (1 + r.nextInt(9))
            + " items, total " + r.nextInt(500) + "." + two() + " EUR)";
        case 1 -> "Payment " + hex(12) + " for order " + order + " authorized by provider " + pick(new String[] {
            "stripe", "adyen", "paypal"});
        case 2 -> "Shipping label created for order " + order + ": carrier=DHL tracking=JD" + (100_000_000L
            + r.nextInt(900_000_000));
        case 3 -> "Fetched " + r.nextInt(50) + " rows from orders in " + r.nextInt(40) + "." + two() + " ms";
        case 4 -> "Customer " + zipf(80_000) + " updated address (country=" + pick(new String[] {"DE", "FR", "NL",
            "PL", "ES", "IT", "SE"}) + ")";
        default -> "Outbox event OrderStatusChanged published to topic orders.events partition " + r.nextInt(12)
            + " offset " + (4_000_000 + seq * 3 + r.nextInt(3));
      };
      String line = "{\"timestamp\":\"" + ISO_MS.format(instant(ts)) + "\",\"level\":\"" + level
          + "\",\"logger\":\"com.shop.orders." + pick(new String[] {"OrderService", "PaymentService",
          "ShippingService", "OrderRepository", "OutboxPublisher"}) + "\",\"thread\":\"http-nio-8080-exec-"
          + (1 + r.nextInt(200)) + "\",\"message\":\"" + message + "\",\"trace_id\":\"" + trace
          + "\",\"span_id\":\"" + span + "\",\"duration_ms\":" + r.nextInt(400) + "}";
      // half the entries also carry the trace as structured metadata, as OTel-fed pipelines do
      Labels md = r.nextBoolean() ? Labels.of("span_id", span, "trace_id", trace) : Labels.EMPTY;
      return new LogEntry(ts, line, md);
    }

    private String access(long ts) {
      String ip = r.nextInt(4) == 0 ? "10.42." + r.nextInt(4) + "." + r.nextInt(256)
          : (zipf(220) + 3) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
      int status = pick(STATUS);
      return ip + " - - [" + CLF.format(instant(ts)) + "] \"" + pick(METHODS) + " " + path() + " HTTP/1.1\" "
          + status + " " + (status == 304 ? 0 : r.nextInt(60_000)) + " \"" + (r.nextBoolean() ? "-"
          : "https://shop.example.com" + path()) + "\" \"" + AGENTS[Math.min(zipf(12), AGENTS.length - 1)]
          + "\" rt=" + r.nextInt(2) + "." + three() + " uct=\"0.000\" uht=\"0." + three() + "\" urt=\"0." + three()
          + "\"";
    }

    private String java(long ts) {
      String level = pick(LEVELS).toUpperCase(Locale.ROOT);
      String head = SPRING.format(instant(ts)) + " " + String.format("%5s", level) + " [inventory," + hex(16) + ","
          + hex(16) + "] 1 --- [nio-8080-exec-" + (1 + r.nextInt(200)) + "] " + pick(LOGGERS) + " : ";
      if (!level.equals("ERROR")) {
        return head + switch (r.nextInt(4)) {
          case 0 -> "Reserved " + (1 + r.nextInt(9)) + " units of sku " + zipf(40_000) + " for order " + (900_000
              + seq);
          case 1 -> "HikariPool-1 - Pool stats (total=20, active=" + r.nextInt(21) + ", idle=" + r.nextInt(21)
              + ", waiting=" + r.nextInt(3) + ")";
          case 2 -> "Completed 200 OK in " + r.nextInt(300) + "ms";
          default -> "Received StockAdjusted event for sku " + zipf(40_000) + " from warehouse " + r.nextInt(8);
        };
      }
      StringBuilder sb = new StringBuilder(head).append("Request processing failed\n");
      int e = r.nextInt(EXCEPTIONS.length);
      sb.append(String.format(EXCEPTIONS[e], r.nextInt(50_000)));
      int frames = 6 + r.nextInt(20);
      int first = r.nextInt(5);
      for (int i = 0; i < frames; i++) {
        String frame = FRAMES[i < 3 ? first + i : 5 + r.nextInt(FRAMES.length - 5)];
        sb.append("\n\tat ").append(frame.contains("%d") ? String.format(frame, 40 + r.nextInt(400)) : frame);
      }
      if (r.nextBoolean()) {
        sb.append("\nCaused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available,"
            + " request timed out after 30000ms.\n\tat ").append(FRAMES[14]).append("\n\t... ")
            .append(10 + r.nextInt(40)).append(" common frames omitted");
      }
      return sb.toString();
    }

    private String path() {
      String p = PATHS[Math.min(zipf(PATHS.length * 2), PATHS.length - 1)];
      if (p.contains("%x")) {
        return String.format(p, r.nextInt(16) * 0x1000003);
      }
      return p.contains("%d") ? String.format(p, zipf(100_000)) : p;
    }

    private String duration() {
      return switch (r.nextInt(3)) {
        case 0 -> r.nextInt(1000) + "us";
        case 1 -> r.nextInt(900) + "." + three() + "ms";
        default -> r.nextInt(5) + "." + three() + "s";
      };
    }

    private String hex(int digits) {
      StringBuilder sb = new StringBuilder(digits);
      for (int i = 0; i < digits; i++) {
        sb.append(Character.forDigit(r.nextInt(16), 16));
      }
      return sb.toString();
    }

    private String two() {
      return String.format("%02d", r.nextInt(100));
    }

    private String three() {
      return String.format("%03d", r.nextInt(1000));
    }

    /** A Zipf-like pick in [0, n): small values far more often, as real ids and popular pages are. */
    private int zipf(int n) {
      return (int) Math.min(n - 1, Math.floor(Math.pow(n + 1.0, r.nextDouble())) - 1);
    }

    private String pick(String[] a) {
      return a[r.nextInt(a.length)];
    }

    private int pick(int[] a) {
      return a[r.nextInt(a.length)];
    }

    private static Instant instant(long nanos) {
      return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }
  }
}
