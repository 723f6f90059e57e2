package io.fjord.querier.tail;

/**
 * Where a tail sends its messages: a WebSocket in production, a list in tests. {@link #send} is
 * called by one poll at a time; {@link #close} may be called from another thread (shutdown).
 */
public interface TailSink {

  /** Sends one text message (a tail response as JSON). */
  void send(String message);

  /** Closes the connection with a WebSocket close code and a short reason. */
  void close(int code, String reason);
}
