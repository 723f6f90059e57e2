package io.fjord.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists exactly the keys the code has, with the code's defaults. */
class ConfigurationReferenceTest {
  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void everyKeyIsDocumentedWithItsDefault() throws Exception {
    String doc = Files.readString(DOC);
    for (ConfigReference.Key k : ConfigReference.keys()) {
      assertThat(doc).as("docs/configuration.md must have the row for %s", k.path())
          .contains(ConfigReference.row(k));
    }
  }

  @Test
  void theDocumentListsNoKeyTheCodeDoesNotHave() throws Exception {
    List<String> known = ConfigReference.keys().stream().map(ConfigReference.Key::path).toList();
    Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9_.]+)` \\|").matcher(Files.readString(DOC));
    int rows = 0;
    while (m.find()) {
      rows++;
      assertThat(known).as("documented key").contains(m.group(1));
    }
    assertThat(rows).isEqualTo(known.size());
  }
}
