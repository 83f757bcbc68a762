package dev.sluice.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.Parameter;
import dev.sluice.config.SluiceConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * docs/API.md's table of every parameter (section 7, "Every parameter, as declared") is derived
 * from {@link Operations}: this test writes the table from the declarations (with the default
 * configuration's bounds) and fails, printing the table to paste, when the document says otherwise.
 * Section 4's rows may name no parameter the operation does not declare.
 */
@DisplayName("docs/API.md's parameter tables say what the declarations say")
class DeclaredParametersDocTest {

  static final Path API_MD = Path.of("docs", "API.md");
  static final String BEGIN =
      "<!-- declared parameters: generated from plan.Operations, checked by "
          + "DeclaredParametersDocTest -->";
  static final String END = "<!-- end of declared parameters -->";

  /** The table, as the declarations with the default configuration write it. */
  static String table(Operations operations) {
    StringBuilder md =
        new StringBuilder(
            "| route | parameter | in | takes | default | strategy |\n|---|---|---|---|---|---|\n");
    for (Operations.Spec spec : operations.all()) {
      for (Parameter p : spec.parameters()) {
        md.append("| `GET ")
            .append(spec.path())
            .append("` | `")
            .append(p.name())
            .append('`')
            .append(p.required() ? " (required)" : "")
            .append(" | ")
            .append(p.in().name().toLowerCase(Locale.ROOT))
            .append(" | ")
            .append(takes(p))
            .append(" | ")
            .append(
                p.defaultValue() == null
                    ? ""
                    : "`"
                        + (p.defaultValue() instanceof java.util.List<?> list
                            ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                            : p.defaultValue())
                        + "`")
            .append(" | ")
            .append(p.strategy())
            .append(" |\n");
      }
    }
    return md.toString();
  }

  private static String takes(Parameter p) {
    return switch (p.kind()) {
      case INTEGER -> "integer " + p.min() + ".." + p.max();
      case TEXT -> "text of " + p.min() + ".." + p.max() + " characters";
      case WORDS -> "words, 1.." + p.max() + " characters, trimmed";
      case UUID -> "UUID";
      case UUIDS -> p.min() + ".." + p.max() + " UUIDs, comma separated";
      case ONE_OF ->
          "one of " + p.values().stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
      case SOME_OF ->
          "comma list of "
              + p.values().stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
      case BOOLEAN -> "`true` or `false`";
      case TIME -> "ISO-8601 time or date";
      case FILTER ->
          "`op.value`, repeatable; "
              + p.values().stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
    };
  }

  @Test
  @DisplayName("section 7's table of every parameter is the one the declarations write")
  void generatedTable() throws IOException {
    String doc = Files.readString(API_MD);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "docs/API.md holds the markers " + BEGIN + " and " + END);
    String expected = table(Operations.create(SluiceConfig.from(new JsonObject())));
    String actual = doc.substring(begin + BEGIN.length(), end).strip() + "\n";
    assertEquals(
        expected,
        actual,
        "docs/API.md's table of declared parameters is stale; paste this between "
            + "the markers:\n"
            + expected);
  }

  @Test
  @DisplayName("section 4's rows name only parameters their operation declares")
  void contractRowsNameDeclaredParameters() throws IOException {
    Operations operations = Operations.create(SluiceConfig.from(new JsonObject()));
    Pattern row = Pattern.compile("^\\| `GET (/[^`]+)` \\| [^|]+ \\| (.+) \\|$", Pattern.MULTILINE);
    Pattern name = Pattern.compile("`([a-z_]+)`");
    Set<String> wrong = new TreeSet<>();
    int rows = 0;
    for (String line : Files.readString(API_MD).split("\n")) {
      Matcher m = row.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Operations.Spec spec =
          operations.all().stream()
              .filter(s -> s.path().equals(Operations.API + m.group(1)))
              .findFirst()
              .orElse(null);
      if (spec == null) {
        continue;
      }
      rows++;
      // the parameters column names parameters, then values in parentheses or after a dash: read
      // only the names
      String column =
          m.group(2).replaceAll("\\([^)]*\\)", "").replaceAll(" — .*$", "").replaceAll(";.*$", "");
      Matcher names = name.matcher(column);
      while (names.find()) {
        if (spec.parameter(names.group(1)) == null) {
          wrong.add(m.group(1) + " names " + names.group(1));
        }
      }
    }
    assertEquals(23, rows, "every operation's row of section 4 was read");
    assertTrue(wrong.isEmpty(), "section 4 names parameters no declaration has: " + wrong);
  }
}
