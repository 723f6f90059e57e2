package io.fjord.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Labels;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An entry's label set equals, name by name, what {@link Entry#get} answers for each of
 * {@link Entry#names}, after random sets, deletes and parsed labels over stream labels and
 * structured metadata that share names.
 */
class EntryLabelsTest {
  @Test
  void labelsAreWhatGetAnswersForEveryName() {
    Random r = new Random(17);
    String[] names = {"app", "env", "trace", "level", "x"};
    Entry e = new Entry(Labels.of("app", "a", "env", "prod", "level", "s"));
    for (int k = 0; k < 5_000; k++) {
      Labels md = switch (r.nextInt(3)) {
        case 0 -> Labels.EMPTY;
        case 1 -> Labels.of("trace", "t" + r.nextInt(3));
        default -> Labels.of("env", "md", "x", "1");
      };
      e.reset(k, "line", md);
      e.beginParse();
      int ops = r.nextInt(5);
      for (int i = 0; i < ops; i++) {
        String n = names[r.nextInt(names.length)];
        switch (r.nextInt(3)) {
          case 0 -> e.set(n, "v" + i);
          case 1 -> e.delete(n);
          default -> e.setParsed(n, "p" + i);
        }
      }
      Map<String, String> expected = new HashMap<>();
      for (String n : e.names()) {
        expected.put(n, e.get(n));
      }
      assertThat(e.labels()).isEqualTo(Labels.of(expected));
    }
  }
}
