package io.fjord.logql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fjord.logql.LogQL;
import io.fjord.logql.LogQLException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives {@code parser-table.txt}: valid and invalid LogQL queries written from Loki's public LogQL
 * documentation, each with the tree it must parse to (as a hand-written {@link SExpr}) or the exact
 * error Loki answers ({@code parse error at line L, col C: ...}). See the file's header for its
 * format.
 */
class ParserTableTest {
  /** One row: where it starts in the table, the query, and either a tree or an error. */
  record Row(int line, String query, String tree, String error) {
    @Override
    public String toString() {
      return "line " + line + ": " + query.replace("\n", "\\n");
    }
  }

  static List<Row> rows() throws IOException {
    String text;
    try (InputStream in = ParserTableTest.class.getResourceAsStream("/parser-table.txt")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Row> rows = new ArrayList<>();
    StringBuilder query = null;
    int start = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.startsWith("q: ")) {
        if (query == null) {
          query = new StringBuilder(l.substring(3));
          start = i + 1;
        } else {
          query.append('\n').append(l.substring(3));
        }
      } else if (l.startsWith("=> ") || l.startsWith("!! ")) {
        if (query == null) {
          throw new IllegalStateException("line " + (i + 1) + ": an expectation without a query");
        }
        boolean tree = l.startsWith("=> ");
        rows.add(new Row(start, query.toString(), tree ? l.substring(3) : null, tree ? null : l.substring(3)));
        query = null;
      } else if (!l.isBlank() && !l.startsWith("#")) {
        throw new IllegalStateException("line " + (i + 1) + ": unreadable: " + l);
      } else if (query != null) {
        throw new IllegalStateException("line " + (start) + ": a query without an expectation");
      }
    }
    return rows;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void parsesAsTheTableSays(Row row) {
    if (row.tree() != null) {
      assertThat(SExpr.of(LogQL.parse(row.query()))).isEqualTo(row.tree());
      return;
    }
    LogQLException e = catchThrowableOfType(LogQLException.class, () -> LogQL.parse(row.query()));
    assertThat(e).as("an error for %s", row.query()).isNotNull();
    if (row.error().endsWith(" ...")) {
      assertThat(e.getMessage()).startsWith(row.error().substring(0, row.error().length() - 4));
    } else {
      assertThat(e.getMessage()).isEqualTo(row.error());
    }
  }

  @Test
  void theTableHoldsAtLeastThreeHundredQueriesBothValidAndInvalid() throws IOException {
    List<Row> rows = rows();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(300);
    assertThat(rows.stream().filter(r -> r.error() != null).count()).isGreaterThanOrEqualTo(60);
    assertThat(rows.stream().map(Row::query).distinct().count()).isEqualTo(rows.size());
  }
}
