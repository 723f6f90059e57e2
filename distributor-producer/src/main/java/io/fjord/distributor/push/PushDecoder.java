package io.fjord.distributor.push;

import java.util.List;

/**
 * Turns a push request body into streams: undoes the Content-Encoding (within the decompressed
 * cap) and reads the body in the format its Content-Type and path select. Every failure is a
 * {@link PushException}: MALFORMED_BODY (400), BODY_TOO_LARGE (413) or UNSUPPORTED_ENCODING (415).
 * Stateless and thread-safe.
 */
public final class PushDecoder {
  private final ContentDecoding decoding;
  private final JsonPushDecoder json;
  private final LegacyJsonPushDecoder legacyJson;
  private final ProtobufPushDecoder protobuf;

  /** @param maxDecompressedBytes the cap on a body's size once decompressed */
  public PushDecoder(long maxDecompressedBytes) {
    this.decoding = new ContentDecoding(maxDecompressedBytes);
    this.json = new JsonPushDecoder(maxDecompressedBytes);
    this.legacyJson = new LegacyJsonPushDecoder(maxDecompressedBytes);
    this.protobuf = new ProtobufPushDecoder(decoding);
  }

  /**
   * @param body the body as received (its size already checked against the request cap)
   * @param contentType the Content-Type header, or null
   * @param contentEncoding the Content-Encoding header, or null
   * @param legacyPath whether the request came to Loki's legacy {@code /api/prom/push}
   */
  public List<PushedStream> decode(byte[] body, String contentType, String contentEncoding, boolean legacyPath) {
    return switch (PushFormat.of(contentType, legacyPath)) {
      case JSON -> ContentDecoding.isPassThrough(contentEncoding)
          ? json.decode(body) // read in place, no copy
          : json.decode(decoding.open(body, contentEncoding));
      case LEGACY_JSON -> legacyJson.decode(decoding.open(body, contentEncoding));
      case PROTOBUF -> protobuf.decode(decoding.readAll(body, contentEncoding));
    };
  }
}
