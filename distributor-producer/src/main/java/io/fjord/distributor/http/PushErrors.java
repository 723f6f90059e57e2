package io.fjord.distributor.http;

import io.fjord.common.http.ApiException;
import io.fjord.distributor.push.PushException;

/**
 * The one mapping of push failures to HTTP answers: malformed body and invalid data 400, too large
 * 413, unsupported encoding 415, rate limited 429, Kafka unavailable 503. The client reads the
 * exception's message as the plain-text body, as Loki answers. Stateless.
 */
final class PushErrors {
  private PushErrors() {}

  static int status(PushException.Kind kind) {
    return switch (kind) {
      case MALFORMED_BODY, INVALID -> 400;
      case BODY_TOO_LARGE -> 413;
      case UNSUPPORTED_ENCODING -> 415;
      case RATE_LIMITED -> 429;
      case UNAVAILABLE -> 503;
    };
  }

  static ApiException toApi(PushException e) {
    return new ApiException(status(e.kind()), e.getMessage(), e);
  }
}
