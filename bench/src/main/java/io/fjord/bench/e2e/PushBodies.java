package io.fjord.bench.e2e;

import io.fjord.schemas.push.PushProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Pre-encodes the whole data set into push bodies before any request is sent, so the push driver
 * spends its CPU on sending only. {@code JSON} is Loki's JSON push; {@code PROTOBUF} is
 * {@code logproto.PushRequest} in a snappy block, as Promtail and Alloy send it. Each body holds
 * {@code batch} consecutive lines, grouped by stream. Immutable once built.
 */
final class PushBodies {
  enum Format {
    JSON("application/json"), PROTOBUF("application/x-protobuf");

    final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }
  }

  /** The encoded bodies and what they carry. */
  record Encoded(Format format, List<byte[]> bodies, long lines, long rawLineBytes, long bodyBytes) {}

  private PushBodies() {}

  static Encoded encode(BenchData data, long lines, int batch, Format format) {
    List<byte[]> bodies = new ArrayList<>();
    long raw = 0;
    long bodyBytes = 0;
    int streams = data.streams();
    for (long start = 0; start < lines; start += batch) {
      int n = (int) Math.min(batch, lines - start);
      // per stream of this batch: the line indices, in order
      List<List<Long>> byStream = new ArrayList<>();
      List<Integer> streamIds = new ArrayList<>();
      int[] slot = new int[Math.min(streams, n)];
      java.util.Arrays.fill(slot, -1);
      String[] text = new String[n];
      for (int k = 0; k < n; k++) {
        long i = start + k;
        text[k] = data.line(i);
        raw += text[k].getBytes(StandardCharsets.UTF_8).length;
        int s = BenchData.streamOf(i, streams);
        int local = (int) ((i - start) % slot.length); // lines of a batch cycle through its streams
        if (slot[local] < 0) {
          slot[local] = byStream.size();
          byStream.add(new ArrayList<>());
          streamIds.add(s);
        }
        byStream.get(slot[local]).add(i);
      }
      byte[] body = format == Format.JSON
          ? json(data, start, text, streamIds, byStream)
          : protobuf(data, start, text, streamIds, byStream);
      bodyBytes += body.length;
      bodies.add(body);
    }
    return new Encoded(format, List.copyOf(bodies), lines, raw, bodyBytes);
  }

  private static byte[] json(BenchData data, long start, String[] text, List<Integer> streamIds,
      List<List<Long>> byStream) {
    StringBuilder b = new StringBuilder(text.length * 180);
    b.append("{\"streams\":[");
    for (int j = 0; j < byStream.size(); j++) {
      int s = streamIds.get(j);
      b.append(j == 0 ? "" : ",").append("{\"stream\":{\"app\":\"").append(BenchData.APP)
          .append("\",\"env\":\"prod\",\"stream\":\"s").append(s).append("\"},\"values\":[");
      List<Long> idx = byStream.get(j);
      for (int k = 0; k < idx.size(); k++) {
        long i = idx.get(k);
        b.append(k == 0 ? "" : ",").append("[\"").append(data.timestampNanos(i)).append("\",\"");
        escape(text[(int) (i - start)], b);
        b.append("\"]");
      }
      b.append("]}");
    }
    b.append("]}");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] protobuf(BenchData data, long start, String[] text, List<Integer> streamIds,
      List<List<Long>> byStream) {
    PushProto.PushRequest.Builder req = PushProto.PushRequest.newBuilder();
    for (int j = 0; j < byStream.size(); j++) {
      PushProto.StreamAdapter.Builder s = PushProto.StreamAdapter.newBuilder()
          .setLabels(BenchData.streamLabels(streamIds.get(j)));
      for (long i : byStream.get(j)) {
        long ts = data.timestampNanos(i);
        s.addEntries(PushProto.EntryAdapter.newBuilder()
            .setTimestamp(PushProto.Timestamp.newBuilder().setSeconds(ts / 1_000_000_000L)
                .setNanos((int) (ts % 1_000_000_000L)))
            .setLine(text[(int) (i - start)]));
      }
      req.addStreams(s);
    }
    try {
      return Snappy.compress(req.build().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON string escaping for the characters the generator can produce (and any control character). */
  static void escape(String s, StringBuilder b) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
  }
}
