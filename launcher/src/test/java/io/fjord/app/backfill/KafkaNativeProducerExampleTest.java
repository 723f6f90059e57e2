package io.fjord.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.schemas.labels.Fingerprint;
import io.fjord.schemas.labels.Labels;
import io.fjord.schemas.record.LogEntry;
import io.fjord.schemas.record.LogRecordCodec;
import io.fjord.schemas.record.StreamBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Kafka-native producer example of schemas/FORMATS.md: the document quotes this very source, and
 * the bytes it writes are the documented ones (the golden bytes, and the codec's for other input).
 * That Fjord serves what it writes is checked in {@link BackfillEndToEndTest}.
 */
class KafkaNativeProducerExampleTest {
  /** The module's directory is the tests' working directory. */
  private static final Path FORMATS = Path.of("..", "schemas", "FORMATS.md");
  private static final Path EXAMPLE = Path.of("src", "test", "java", "io", "fjord", "app", "backfill",
      "KafkaNativeProducerExample.java");
  private static final String HEADING = "## Writing to the logs topic from a Kafka-native producer";

  @Test
  void formatsMdQuotesTheExampleFromItsImportsToItsEnd() throws Exception {
    String doc = Files.readString(FORMATS, StandardCharsets.UTF_8);
    int section = doc.indexOf(HEADING);
    assertThat(section).as("FORMATS.md has the section").isNotNegative();
    int start = doc.indexOf("```java\n", section) + "```java\n".length();
    int end = doc.indexOf("```\n", start);
    assertThat(doc.substring(section, start)).doesNotContain("\n## ");
    String source = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
    assertThat(doc.substring(start, end)).isEqualTo(source.substring(source.indexOf("import ")));
  }

  @Test
  void theGoldenRecordOfFormatsMd() {
    // tenant t, labels {a="b"}, one entry at ts 1 with line "hi"; key fingerprint d2b371819297f98a
    SortedMap<String, String> labels = new TreeMap<>(Map.of("a", "b"));
    assertThat(HexFormat.of().formatHex(KafkaNativeProducerExample.value("t", labels, 1, "hi")))
        .isEqualTo("464a0100" + "0174" + "01" + "01610162" + "01" + "0000000000000001" + "026869" + "00" + "97db2c2f");
    assertThat(HexFormat.of().formatHex(KafkaNativeProducerExample.key("t", labels)))
        .isEqualTo("01" + "d2b371819297f98a" + "74");
  }

  @Test
  void itsBytesAreTheCodecsForUnicodeLongValuesAndManyLabels() {
    SortedMap<String, String> labels = new TreeMap<>();
    for (int i = 0; i < 20; i++) {
      labels.put("label_" + i, "välue " + "x".repeat(i * 10) + " ✓");
    }
    String line = "ünïcødé 🚀 " + "y".repeat(300); // a line longer than 127 bytes needs a two-byte length
    long ts = 1_714_557_600_123_456_789L;
    List<String[]> pairs = new ArrayList<>();
    labels.forEach((n, v) -> pairs.add(new String[] {n, v}));
    Labels canonical = Labels.ofPairs(pairs);
    StreamBatch batch = new StreamBatch("tenant-ä", canonical, List.of(new LogEntry(ts, line, Labels.EMPTY)));

    byte[] value = KafkaNativeProducerExample.value("tenant-ä", labels, ts, line);
    assertThat(value).isEqualTo(LogRecordCodec.encodeValue(batch));
    assertThat(LogRecordCodec.decodeValue(value)).isEqualTo(batch);
    assertThat(KafkaNativeProducerExample.key("tenant-ä", labels))
        .isEqualTo(LogRecordCodec.encodeKey("tenant-ä", Fingerprint.of(canonical)));
  }
}
