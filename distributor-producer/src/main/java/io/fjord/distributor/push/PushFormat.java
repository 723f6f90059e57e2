package io.fjord.distributor.push;

import java.util.Locale;

/**
 * The body formats of Loki's push endpoints, chosen from the Content-Type and the path as Loki
 * chooses: {@code application/x-protobuf} is the snappy-compressed protobuf; anything else
 * (including no Content-Type) is JSON, in the v1 shape on {@code /loki/api/v1/push} and in the
 * legacy shape on {@code /api/prom/push}. Stateless.
 */
public enum PushFormat {
  /** {@code {"streams":[{"stream":{...},"values":[["<ns>","<line>",{metadata}]]}]}} */
  JSON,
  /** {@code {"streams":[{"labels":"{...}","entries":[{"ts":"<RFC 3339>","line":"..."}]}]}} */
  LEGACY_JSON,
  /** snappy block format around logproto.PushRequest */
  PROTOBUF;

  public static PushFormat of(String contentType, boolean legacyPath) {
    if (contentType != null && mediaType(contentType).equals("application/x-protobuf")) {
      return PROTOBUF;
    }
    return legacyPath ? LEGACY_JSON : JSON;
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = semicolon >= 0 ? contentType.substring(0, semicolon) : contentType;
    return type.trim().toLowerCase(Locale.ROOT);
  }
}
