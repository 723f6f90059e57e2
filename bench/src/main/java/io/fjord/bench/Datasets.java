package io.fjord.bench;

import io.fjord.bench.e2e.BenchDataLines;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's named data sets: {@code generated} (about 20 MB of lines from
 * {@link LogCorpus#generate}, seed 42), {@code conformance} (the conformance kit's data set, found
 * through the system property {@code fjord.bench.conformance}, by default
 * {@code ../shared/conformance/dataset.jsonl.gz} from the repository root) and {@code e2e} (the
 * end-to-end benchmark's lines, {@link BenchDataLines}: seed 42, 4 streams, about 20 MB). Stateless.
 */
final class Datasets {
  static final long GENERATED_BYTES = 20L << 20;
  static final long GENERATED_SEED = 42;
  static final String CONFORMANCE_PROPERTY = "fjord.bench.conformance";
  /** Lines of the e2e data set: about 133 bytes each, so about 20 MB. */
  static final long E2E_LINES = 150_000;
  static final List<String> ALL = List.of("generated", "conformance", "e2e");

  private Datasets() {}

  static List<LogCorpus.Stream> load(String name) {
    return switch (name) {
      case "generated" -> LogCorpus.generate(GENERATED_SEED, GENERATED_BYTES);
      case "conformance" -> {
        Path p = conformancePath();
        if (!Files.isRegularFile(p)) {
          throw new IllegalStateException("conformance data set not found at " + p.toAbsolutePath()
              + " (set -D" + CONFORMANCE_PROPERTY + "=PATH)");
        }
        try {
          yield LogCorpus.loadPushBodies(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case "e2e" -> e2e();
      default -> throw new IllegalArgumentException("unknown data set " + name);
    };
  }

  private static List<LogCorpus.Stream> e2e() {
    List<LogCorpus.Stream> out = new ArrayList<>();
    for (BenchDataLines.StreamLines s : BenchDataLines.generate(GENERATED_SEED, 4, 1_795_132_800_000_000_000L,
        E2E_LINES)) {
      List<LogEntry> entries = new ArrayList<>(s.lines().size());
      for (int i = 0; i < s.lines().size(); i++) {
        entries.add(new LogEntry(s.timestamps()[i], s.lines().get(i)));
      }
      out.add(new LogCorpus.Stream(Labels.of("app", BenchDataLines.APP, "env", "prod", "stream", "s" + s.stream()),
          entries));
    }
    return out;
  }

  static Path conformancePath() {
    return Path.of(System.getProperty(CONFORMANCE_PROPERTY, "../shared/conformance/dataset.jsonl.gz"));
  }
}
