package io.fjord.ingester.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fjord.common.http.ApiException;
import io.fjord.common.http.RouteModule;
import io.fjord.ingester.query.IngesterQueries;
import io.fjord.schemas.ingester.IngesterProtocol;
import io.fjord.schemas.ingester.IngesterProtocol.LabelsRequest;
import io.fjord.schemas.ingester.IngesterProtocol.QueryRequest;
import io.fjord.schemas.ingester.IngesterProtocol.SamplesRequest;
import io.fjord.schemas.ingester.IngesterProtocol.SeriesRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * The ingester's HTTP routes for queriers: {@code POST /ingester/v1/query}, {@code /samples},
 * {@code /labels} and {@code /series}, JSON in and out ({@link IngesterProtocol}). A body that is not valid JSON for
 * the request type is a 400; everything else is {@link IngesterQueries}' business. Thread-safe.
 */
public final class IngesterRoutes implements RouteModule {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
      .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
      .build();

  private final IngesterQueries queries;

  public IngesterRoutes(IngesterQueries queries) {
    this.queries = queries;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post(IngesterProtocol.QUERY_PATH, ctx -> json(ctx, queries.query(body(ctx, QueryRequest.class))));
    routes.post(IngesterProtocol.LABELS_PATH, ctx -> json(ctx, queries.labels(body(ctx, LabelsRequest.class))));
    routes.post(IngesterProtocol.SERIES_PATH, ctx -> json(ctx, queries.series(body(ctx, SeriesRequest.class))));
    routes.post(IngesterProtocol.SAMPLES_PATH, ctx -> json(ctx, queries.samples(body(ctx, SamplesRequest.class))));
  }

  private static <T> T body(Context ctx, Class<T> type) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      throw ApiException.badRequest("empty request body: expected a " + type.getSimpleName() + " as JSON");
    }
    try {
      T value = JSON.readValue(bytes, type);
      if (value == null) {
        throw ApiException.badRequest("expected a " + type.getSimpleName() + " as JSON, got null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("invalid " + type.getSimpleName() + " body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("unreadable request body: " + e.getMessage());
    }
  }

  private static void json(Context ctx, Object response) throws JsonProcessingException {
    ctx.contentType("application/json").result(JSON.writeValueAsBytes(response));
  }
}
