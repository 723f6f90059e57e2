package io.fjord.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmark's named data sets: {@code generated} (about 20 MB of lines from
 * {@link LogCorpus#generate}, seed 42) and {@code conformance} (the conformance kit's data set, found
 * through the system property {@code fjord.bench.conformance}, by default
 * {@code ../shared/conformance/dataset.jsonl.gz} from the repository root). Stateless.
 */
final class Datasets {
  static final long GENERATED_BYTES = 20L << 20;
  static final long GENERATED_SEED = 42;
  static final String CONFORMANCE_PROPERTY = "fjord.bench.conformance";

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
      default -> throw new IllegalArgumentException("unknown data set " + name);
    };
  }

  static Path conformancePath() {
    return Path.of(System.getProperty(CONFORMANCE_PROPERTY, "../shared/conformance/dataset.jsonl.gz"));
  }
}
