package io.fjord.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fjord.app.ops.LogLevels;
import io.fjord.common.config.ByteSize;
import java.util.List;
import java.util.Locale;

/**
 * The {@code server} section: where the HTTP API listens. Names follow Loki's. Immutable.
 *
 * @param httpListenAddress address to bind; 127.0.0.1 by default so a first start is not exposed
 * @param httpListenPort Loki's port, 3100
 * @param advertiseAddress how other processes (queriers) reach this one; defaults to the listen
 *     address, or the host name when listening on all interfaces
 * @param maxRequestBodySize the largest request body Jetty accepts before any decoding
 * @param logLevel the root log level at start-up: debug, info, warn or error (Loki's
 *     {@code -log.level}); {@code /log_level} changes it at run time
 * @param logFormat {@code logfmt} (Loki's default) or {@code json}, one object per line on stdout
 */
public record ServerConfig(
    @JsonProperty("http_listen_address") String httpListenAddress,
    @JsonProperty("http_listen_port") Integer httpListenPort,
    @JsonProperty("advertise_address") String advertiseAddress,
    @JsonProperty("max_request_body_size") ByteSize maxRequestBodySize,
    @JsonProperty("log_level") String logLevel,
    @JsonProperty("log_format") String logFormat) {

  public static final List<String> LOG_FORMATS = List.of("logfmt", "json");

  public ServerConfig {
    httpListenAddress = httpListenAddress != null ? httpListenAddress : "127.0.0.1";
    httpListenPort = httpListenPort != null ? httpListenPort : 3100;
    maxRequestBodySize = maxRequestBodySize != null ? maxRequestBodySize : ByteSize.ofMiB(16);
    logLevel = logLevel != null ? logLevel.strip().toLowerCase(Locale.ROOT) : "info";
    logFormat = logFormat != null ? logFormat.strip().toLowerCase(Locale.ROOT) : "logfmt";
    if (!LogLevels.NAMES.contains(logLevel)) {
      throw new IllegalArgumentException("server.log_level must be one of " + LogLevels.NAMES + ", got " + logLevel);
    }
    if (!LOG_FORMATS.contains(logFormat)) {
      throw new IllegalArgumentException("server.log_format must be one of " + LOG_FORMATS + ", got " + logFormat);
    }
    if (httpListenPort < 0 || httpListenPort > 65535) {
      throw new IllegalArgumentException("server.http_listen_port must be 0..65535, got " + httpListenPort);
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(null, null, null, null, null, null);
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
