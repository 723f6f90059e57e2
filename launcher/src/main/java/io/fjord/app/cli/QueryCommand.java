package io.fjord.app.cli;

import io.fjord.app.cli.QueryResult.Entry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.WebSocket;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code fjord query '<LogQL>' [flags]}: runs one query against a Loki-compatible server and prints
 * the result, or with {@code --tail} prints entries as they arrive until {@link #close()} (Ctrl-C)
 * or the server closes the tail. {@link #run} returns the exit code: 0 done, 1 the server refused or
 * could not be reached (the reason on stderr), 2 bad usage. One run per instance; {@link #close()}
 * may be called from any thread.
 */
public final class QueryCommand implements AutoCloseable {
  static final int OK = 0;
  static final int SERVER_ERROR = 1;
  static final int USAGE_ERROR = 2;
  public static final String USAGE = """
      usage: fjord query '<LogQL>' [--addr=http://127.0.0.1:3100] [--org-id=TENANT]
                         [--since=1h | --from=RFC3339 [--to=RFC3339]] [--limit=30] [--forward]
                         [--output=default|raw|jsonl] [--step=DURATION] [--tail]
      """;

  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final CompletableFuture<Integer> stopped = new CompletableFuture<>();

  public QueryCommand(PrintStream out, PrintStream err, Clock clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  /** Runs the command with the arguments after {@code query}; returns the exit code. */
  public int run(List<String> args) {
    if (args.contains("-h") || args.contains("--help") || args.contains("-help")) {
      out.print(USAGE);
      return OK;
    }
    QueryOptions options;
    try {
      options = QueryOptions.parse(args, clock);
    } catch (UsageException e) {
      err.println("fjord query: " + e.getMessage());
      err.print(USAGE);
      return USAGE_ERROR;
    }
    LokiClient client = new LokiClient(options.addr(), options.orgId());
    try {
      return options.tail() ? tail(client, options) : query(client, options);
    } catch (ServerException e) {
      err.println("fjord query: HTTP " + e.status() + ": " + e.getMessage());
      return SERVER_ERROR;
    } catch (IOException e) {
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      err.println("fjord query: cannot reach " + options.addr() + ": " + why);
      return SERVER_ERROR;
    } catch (IllegalArgumentException e) {
      err.println("fjord query: unexpected answer from " + options.addr() + ": " + e.getMessage());
      return SERVER_ERROR;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SERVER_ERROR;
    } finally {
      out.flush();
    }
  }

  private int query(LokiClient client, QueryOptions o) throws IOException, InterruptedException, ServerException {
    String body = client.queryRange(o);
    ResultFormatter.lines(ResponseParser.queryResponse(body, o.forward()), o.output()).forEach(out::println);
    return OK;
  }

  private int tail(LokiClient client, QueryOptions o) throws IOException, InterruptedException, ServerException {
    WebSocket ws = client.tail(o, new Listener(o.output()));
    try {
      return stopped.get();
    } catch (ExecutionException e) {
      err.println("fjord query: tail failed: " + e.getCause());
      return SERVER_ERROR;
    } finally {
      closeQuietly(ws);
    }
  }

  /** Says goodbye so the server stops the tail at once, then drops the connection. */
  private static void closeQuietly(WebSocket ws) throws InterruptedException {
    if (!ws.isOutputClosed()) {
      try {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // the server is gone or slow; abort below
      }
    }
    ws.abort();
  }

  /** Ends a running tail with exit code 0 (Ctrl-C); a no-op otherwise. */
  @Override
  public void close() {
    stopped.complete(OK);
  }

  /** Prints each complete text message's entries; ends the run when the server closes. */
  private final class Listener implements WebSocket.Listener {
    private final OutputMode mode;
    private final StringBuilder partial = new StringBuilder();

    Listener(OutputMode mode) {
      this.mode = mode;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        try {
          List<Entry> entries = ResponseParser.tailMessage(message);
          synchronized (out) {
            entries.forEach(e -> out.println(ResultFormatter.entry(e, mode)));
            out.flush();
          }
        } catch (RuntimeException e) {
          err.println("fjord query: unreadable tail message: " + e.getMessage());
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      if (status == WebSocket.NORMAL_CLOSURE) {
        stopped.complete(OK);
      } else {
        err.println("fjord query: the server closed the tail (" + status + "): " + reason);
        stopped.complete(SERVER_ERROR);
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      stopped.completeExceptionally(error);
    }
  }
}
