package io.fjord.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.fjord.logql.regex.Re2;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The literal fast paths of regex filters give exactly the answers of running the regex
 * ({@code Pattern.find} on the RE2 translation): hand-picked cases, then random regexes over a
 * small alphabet against random lines.
 */
class RegexFilterTest {
  private static boolean regexFinds(String re, String line) {
    return Re2.compile(re).pattern().matcher(line).find();
  }

  @ParameterizedTest(name = "{0} on [{1}] -> {2}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', textBlock = """
      needle|upstream timeout [0-9] => a needle here => true
      needle|upstream timeout [0-9] => upstream timeout 5s => true
      needle|upstream timeout [0-9] => upstream timeout x => false
      needle|upstream timeout [0-9] => nothing => false
      (?i)NEEDLE => a NeEdLe => true
      (?i)NEEDLE => a needl => false
      (?i)(error|fatal) => FATAL: disk => true
      (?i)(error|fatal) => warn => false
      (?i)café => CAFé au lait => true
      (?i)café => CAFÉ au lait => false
      (?i)k => K => true
      (?i)k => \u212A => false
      (?i)a[0-9]b => xA7B => true
      a| => anything => true
      """)
  void decidesLikeTheRegex(String re, String line, boolean found) {
    assertThat(RegexFilter.of(re).test(line)).isEqualTo(found);
    assertThat(regexFinds(re, line)).isEqualTo(found);
  }

  private static final String[] ATOMS = {"a", "b", "c", "A", "B", "é", "😀", " ", "\\.", ".", "[ab]", "[^a]", "\\d",
      "1", "^", "$", "(a|bc)", "(?:ab)", "(?i:ab)", "\\b", "|", "|", "x", "X", "ab", "ba"};
  private static final String[] QUANTIFIERS = {"", "", "", "", "*", "+", "?", "{2}", "{1,2}", "*?", "+?"};
  private static final String[] CHARS = {"a", "b", "c", "A", "B", "C", "é", "É", "😀", " ", ".", "1", "2", "x", "X",
      "\n"};

  @Test
  void randomRegexesGiveTheRegexAnswers() {
    Random r = new Random(20261123);
    int checked = 0;
    for (int k = 0; k < 4000; k++) {
      StringBuilder re = new StringBuilder(r.nextInt(4) == 0 ? "(?i)" : "");
      int atoms = 1 + r.nextInt(5);
      for (int i = 0; i < atoms; i++) {
        String atom = ATOMS[r.nextInt(ATOMS.length)];
        re.append(atom);
        if (!atom.equals("|") && !atom.equals("^") && !atom.equals("$") && !atom.equals("\\b")) {
          re.append(QUANTIFIERS[r.nextInt(QUANTIFIERS.length)]);
        }
      }
      Predicate<String> fast;
      Pattern slow;
      try {
        slow = Re2.compile(re.toString()).pattern();
        fast = RegexFilter.of(re.toString());
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (int l = 0; l < 30; l++) {
        StringBuilder line = new StringBuilder();
        int len = r.nextInt(12);
        for (int i = 0; i < len; i++) {
          line.append(CHARS[r.nextInt(CHARS.length)]);
        }
        String s = line.toString();
        assertThat(fast.test(s)).as("%s on [%s]", re, s).isEqualTo(slow.matcher(s).find());
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(50_000);
  }

  @Test
  void caseInsensitiveLiteralsMatchLikeTheRegexOnRandomText() {
    Random r = new Random(7);
    for (int k = 0; k < 3000; k++) {
      StringBuilder lit = new StringBuilder();
      int n = 1 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        lit.append(CHARS[r.nextInt(CHARS.length - 1)]); // no newline in the literal
      }
      String literal = lit.toString();
      FoldedLiteral fast = new FoldedLiteral(literal);
      Pattern slow = Pattern.compile("(?i)" + Pattern.quote(literal));
      for (int l = 0; l < 20; l++) {
        StringBuilder line = new StringBuilder();
        int len = r.nextInt(16);
        for (int i = 0; i < len; i++) {
          line.append(CHARS[r.nextInt(CHARS.length)]);
        }
        if (r.nextInt(3) == 0 && line.length() > 0) {
          line.insert(r.nextInt(line.length()), r.nextBoolean() ? literal.toUpperCase(java.util.Locale.ROOT) : literal);
        }
        String s = line.toString();
        assertThat(fast.in(s)).as("%s in [%s]", literal, s).isEqualTo(slow.matcher(s).find());
      }
    }
  }
}
