package io.fjord.bench.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * The end-to-end benchmark's lines ({@link BenchData}) for benchmarks outside this package, such as
 * the chunk codec data set {@code e2e}: the first {@code lines} lines of seed {@code seed} split into
 * their {@code streams} streams, each with the timestamps the push driver gives them. Stateless.
 */
public final class BenchDataLines {
  /**
   * Stream number {@code stream}'s lines and timestamps, in order; its labels are
   * {@code {app="bench", env="prod", stream="s<stream>"}} ({@link BenchData#streamLabels}).
   */
  public record StreamLines(int stream, long[] timestamps, List<String> lines) {}

  /** The value of the {@code app} label of every stream. */
  public static final String APP = BenchData.APP;

  private BenchDataLines() {}

  public static List<StreamLines> generate(long seed, int streams, long baseNanos, long lines) {
    BenchData data = new BenchData(seed, streams, baseNanos);
    List<List<String>> text = new ArrayList<>();
    List<List<Long>> ts = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      text.add(new ArrayList<>());
      ts.add(new ArrayList<>());
    }
    for (long i = 0; i < lines; i++) {
      int s = BenchData.streamOf(i, streams);
      text.get(s).add(data.line(i));
      ts.get(s).add(data.timestampNanos(i));
    }
    List<StreamLines> out = new ArrayList<>(streams);
    for (int s = 0; s < streams; s++) {
      out.add(new StreamLines(s, ts.get(s).stream().mapToLong(Long::longValue).toArray(),
          text.get(s)));
    }
    return out;
  }
}
