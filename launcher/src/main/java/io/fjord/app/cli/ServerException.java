package io.fjord.app.cli;

/** The server refused a request: its HTTP status and its plain-text message; exit code 1. */
final class ServerException extends Exception {
  private final int status;

  ServerException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
