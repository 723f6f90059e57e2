package io.fjord.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fjord.common.config.ByteSize;

/**
 * The {@code server} section: where the HTTP API listens. Names follow Loki's. Immutable.
 *
 * @param httpListenAddress address to bind; 127.0.0.1 by default so a first start is not exposed
 * @param httpListenPort Loki's port, 3100
 * @param advertiseAddress how other processes (queriers) reach this one; defaults to the listen
 *     address, or the host name when listening on all interfaces
 * @param maxRequestBodySize the largest request body Jetty accepts before any decoding
 */
public record ServerConfig(
    @JsonProperty("http_listen_address") String httpListenAddress,
    @JsonProperty("http_listen_port") Integer httpListenPort,
    @JsonProperty("advertise_address") String advertiseAddress,
    @JsonProperty("max_request_body_size") ByteSize maxRequestBodySize) {

  public ServerConfig {
    httpListenAddress = httpListenAddress != null ? httpListenAddress : "127.0.0.1";
    httpListenPort = httpListenPort != null ? httpListenPort : 3100;
    maxRequestBodySize = maxRequestBodySize != null ? maxRequestBodySize : ByteSize.ofMiB(16);
    if (httpListenPort < 0 || httpListenPort > 65535) {
      throw new IllegalArgumentException("server.http_listen_port must be 0..65535, got " + httpListenPort);
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(null, null, null, null);
  }

  /** The host part of this process's advertised URL. */
  public String advertisedHost() {
    if (advertiseAddress != null && !advertiseAddress.isBlank()) {
      return advertiseAddress;
    }
    if (httpListenAddress.equals("0.0.0.0") || httpListenAddress.isEmpty()) {
      try {
        return java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        return "127.0.0.1";
      }
    }
    return httpListenAddress;
  }
}
