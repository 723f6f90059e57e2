package io.fjord.common.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;

/**
 * Jackson (de)serialisers for Loki-style config values: durations ({@code 10m}, {@code 1w}) and
 * byte sizes ({@code 256KB}, or a plain number of bytes). Register {@link #module()} on the mapper
 * that reads the YAML config. Stateless.
 */
public final class ConfigJackson {
  private ConfigJackson() {}

  public static SimpleModule module() {
    SimpleModule m = new SimpleModule("fjord-config");
    m.addDeserializer(Duration.class, new JsonDeserializer<>() {
      @Override
      public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        try {
          return LokiDuration.parse(p.getValueAsString());
        } catch (IllegalArgumentException e) {
          return (Duration) ctx.handleWeirdStringValue(Duration.class, p.getValueAsString(), e.getMessage());
        }
      }
    });
    m.addSerializer(Duration.class, new JsonSerializer<>() {
      @Override
      public void serialize(Duration d, JsonGenerator g, SerializerProvider sp) throws IOException {
        g.writeString(LokiDuration.format(d));
      }
    });
    m.addDeserializer(ByteSize.class, new JsonDeserializer<>() {
      @Override
      public ByteSize deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        try {
          return ByteSize.parse(p.getValueAsString());
        } catch (IllegalArgumentException e) {
          return (ByteSize) ctx.handleWeirdStringValue(ByteSize.class, p.getValueAsString(), e.getMessage());
        }
      }
    });
    m.addSerializer(ByteSize.class, new JsonSerializer<>() {
      @Override
      public void serialize(ByteSize b, JsonGenerator g, SerializerProvider sp) throws IOException {
        g.writeString(b.toString());
      }
    });
    return m;
  }
}
