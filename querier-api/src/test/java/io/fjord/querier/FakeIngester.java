package io.fjord.querier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fjord.schemas.ingester.IngesterMember;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in ingester for tests: a real HTTP server on 127.0.0.1 and a free port that speaks the
 * querier ↔ ingester protocol with canned answers, records every request, and can be told to fail
 * with a status or to hold its answers until released. Thread-safe.
 */
public final class FakeIngester implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final List<IngesterProtocol.QueryRequest> queries = new CopyOnWriteArrayList<>();
  public final List<IngesterProtocol.LabelsRequest> labelRequests = new CopyOnWriteArrayList<>();
  public final List<IngesterProtocol.SeriesRequest> seriesRequests = new CopyOnWriteArrayList<>();
  public final List<IngesterProtocol.SamplesRequest> sampleRequests = new CopyOnWriteArrayList<>();

  private final String instance;
  private final Javalin app;
  private volatile IngesterProtocol.QueryResponse queryAnswer = new IngesterProtocol.QueryResponse(1, List.of());
  private volatile IngesterProtocol.LabelsResponse labelsAnswer = new IngesterProtocol.LabelsResponse(1, List.of());
  private volatile IngesterProtocol.SeriesResponse seriesAnswer = new IngesterProtocol.SeriesResponse(1, List.of());
  private volatile IngesterProtocol.SamplesResponse samplesAnswer =
      new IngesterProtocol.SamplesResponse(1, List.of(), List.of());
  private volatile int failStatus;
  private volatile String failBody = "";
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean holding;

  public FakeIngester(String instance) {
    this.instance = instance;
    this.app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jetty.host = "127.0.0.1";
      cfg.jetty.port = 0;
      cfg.routes.post(IngesterProtocol.QUERY_PATH, ctx -> {
        queries.add(JSON.readValue(ctx.bodyAsBytes(), IngesterProtocol.QueryRequest.class));
        answer(ctx, queryAnswer);
      });
      cfg.routes.post(IngesterProtocol.LABELS_PATH, ctx -> {
        labelRequests.add(JSON.readValue(ctx.bodyAsBytes(), IngesterProtocol.LabelsRequest.class));
        answer(ctx, labelsAnswer);
      });
      cfg.routes.post(IngesterProtocol.SERIES_PATH, ctx -> {
        seriesRequests.add(JSON.readValue(ctx.bodyAsBytes(), IngesterProtocol.SeriesRequest.class));
        answer(ctx, seriesAnswer);
      });
      cfg.routes.post(IngesterProtocol.SAMPLES_PATH, ctx -> {
        sampleRequests.add(JSON.readValue(ctx.bodyAsBytes(), IngesterProtocol.SamplesRequest.class));
        answer(ctx, samplesAnswer);
      });
    }).start();
  }

  private void answer(Context ctx, Object body) throws IOException, InterruptedException {
    if (holding) {
      released.await(30, TimeUnit.SECONDS);
    }
    if (failStatus != 0) {
      ctx.status(failStatus).result(failBody);
      return;
    }
    ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
  }

  public FakeIngester answerQueries(IngesterProtocol.StreamResult... streams) {
    queryAnswer = new IngesterProtocol.QueryResponse(1, List.of(streams));
    return this;
  }

  public FakeIngester answerQueries(IngesterProtocol.QueryResponse response) {
    queryAnswer = response;
    return this;
  }

  public FakeIngester answerLabels(String... values) {
    labelsAnswer = new IngesterProtocol.LabelsResponse(1, List.of(values));
    return this;
  }

  public FakeIngester answerLabels(IngesterProtocol.LabelsResponse response) {
    labelsAnswer = response;
    return this;
  }

  public FakeIngester answerSeries(IngesterProtocol.SeriesResponse response) {
    seriesAnswer = response;
    return this;
  }

  public FakeIngester answerSeries(IngesterProtocol.Series... series) {
    seriesAnswer = new IngesterProtocol.SeriesResponse(1, List.of(series));
    return this;
  }

  public FakeIngester answerSamples(List<Integer> partitions, IngesterProtocol.SampleSeries... series) {
    samplesAnswer = new IngesterProtocol.SamplesResponse(1, partitions, List.of(series));
    return this;
  }

  public FakeIngester answerSamples(IngesterProtocol.SamplesResponse response) {
    samplesAnswer = response;
    return this;
  }

  public FakeIngester failWith(int status, String body) {
    failBody = body;
    failStatus = status;
    return this;
  }

  /** Answers nothing until {@link #close()}. */
  public FakeIngester hold() {
    holding = true;
    return this;
  }

  public String instance() {
    return instance;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + app.port();
  }

  /** This ingester's announcement, heartbeat at {@code at}. */
  public IngesterMember member(Instant at, Integer... partitions) {
    return new IngesterMember(IngesterMember.VERSION, instance, endpoint(), List.of(partitions), true, at.toEpochMilli());
  }

  @Override
  public void close() {
    released.countDown();
    app.stop();
  }
}
