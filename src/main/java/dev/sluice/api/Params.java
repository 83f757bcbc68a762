package dev.sluice.api;

import dev.sluice.api.Problem.ParameterError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads request parameters into typed values, collecting every fault so one 400 names them all.
 * Values arrive as strings from HTTP query strings, or as JSON values from event-bus clients; both
 * are accepted. A parameter given twice is a fault. Call {@link #validate()} after reading: it
 * throws a {@link ProblemException} if anything was wrong.
 *
 * <p>No value may hold a control character other than tab, line feed and carriage return
 * (PostgreSQL refuses NUL in text, and none of them means anything in a parameter), U+FFFD (what
 * bytes that were not UTF-8 decode to) or half of a surrogate pair. Times are read at PostgreSQL's
 * precision, microseconds, between {@link #EARLIEST} and {@link #LATEST}.
 */
public final class Params {

  /**
   * The first instant a time parameter may name: PostgreSQL has no year 0, where ISO-8601 puts 1
   * BC.
   */
  public static final OffsetDateTime EARLIEST =
      OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  /** The last instant a time parameter may name, the end of year 9999 at PostgreSQL's precision. */
  public static final OffsetDateTime LATEST =
      OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC);

  /**
   * A time whose {@code +hh:mm} offset was sent unencoded, so that the query string read its {@code
   * +} as a space.
   */
  private static final java.util.regex.Pattern UNENCODED_PLUS =
      java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+ \\d{2}(:?\\d{2})?");

  private final JsonObject raw;
  private final List<ParameterError> errors = new ArrayList<>();
  private final java.util.Map<String, Parameter> declared = new java.util.LinkedHashMap<>();

  /** What each declared parameter read as, once (a second read records no second fault). */
  private final java.util.Map<String, Object> values = new java.util.HashMap<>();

  public Params(JsonObject raw) {
    this(raw, List.of());
  }

  /** A request whose parameters {@code declared} describe: {@link #get} reads them as declared. */
  public Params(JsonObject raw, List<Parameter> declared) {
    this.raw = raw == null ? new JsonObject() : raw;
    declared.forEach(parameter -> this.declared.put(parameter.name(), parameter));
  }

  /**
   * The value of a declared parameter, read as its declaration says (the default when absent, null
   * after a fault, which is recorded once however often it is read).
   *
   * @throws IllegalArgumentException for a name no declaration has: a planner's mistake, not the
   *     client's
   */
  @SuppressWarnings("unchecked")
  public <T> T get(String name) {
    if (values.containsKey(name)) {
      return (T) values.get(name);
    }
    Parameter parameter = declared.get(name);
    if (parameter == null) {
      throw new IllegalArgumentException(
          "no parameter " + name + " is declared; declared: " + declared.keySet());
    }
    Object value = parameter.read(this);
    values.put(name, value);
    return (T) value;
  }

  /** Whether {@code name} is a declared parameter. */
  public boolean declares(String name) {
    return declared.containsKey(name);
  }

  /** Reads every declared parameter, recording the faults of all of them. */
  public Params readDeclared() {
    declared.keySet().forEach(this::get);
    return this;
  }

  /** Throws the collected faults as one problem. */
  public Params validate() {
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.invalidParameters(errors));
    }
    return this;
  }

  /** Records a fault of parameter {@code name}; the same fault twice is recorded once. */
  public void fail(String name, String message) {
    ParameterError error = new ParameterError(name, message);
    if (!errors.contains(error)) {
      errors.add(error);
    }
  }

  public boolean has(String name) {
    return raw.getValue(name) != null;
  }

  /**
   * The raw text of a parameter, or null; a parameter given more than once, or holding a character
   * no parameter may hold, is a fault.
   */
  public String text(String name) {
    Object value = raw.getValue(name);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonArray array) {
      if (array.size() == 1 && array.getValue(0) != null) {
        return legible(name, array.getValue(0).toString());
      }
      fail(name, "must be given once");
      return null;
    }
    if (value instanceof JsonObject) {
      fail(name, "must be a single value");
      return null;
    }
    return legible(name, value.toString());
  }

  /**
   * Every text of a parameter that may be given more than once (a filter), in the order given;
   * empty when absent. A text holding a character no parameter may hold is a fault, and left out.
   */
  public List<String> texts(String name) {
    Object value = raw.getValue(name);
    List<String> texts = new ArrayList<>();
    if (value == null) {
      return texts;
    }
    if (value instanceof JsonObject) {
      fail(name, "must be a single value");
      return texts;
    }
    Iterable<?> all = value instanceof JsonArray array ? array : List.of(value);
    for (Object v : all) {
      String text = v == null ? null : legible(name, v.toString());
      if (text != null) {
        texts.add(text);
      }
    }
    return texts;
  }

  /** The names of every parameter the request holds. */
  public Set<String> names() {
    return raw.fieldNames();
  }

  /** The value, or null with a fault when it holds a character no parameter may hold. */
  private String legible(String name, String value) {
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      String fault = illegible(c);
      if (fault != null) {
        fail(name, fault);
        return null;
      }
      i += Character.charCount(c);
    }
    return value;
  }

  /** What is wrong with a character in a parameter, or null when nothing is. */
  private static String illegible(int c) {
    if (c == 0xFFFD || Character.getType(c) == Character.SURROGATE) {
      return "must be UTF-8 text (it holds bytes that are not, or U+FFFD)";
    }
    if (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r') {
      return "must not hold control characters (U+" + String.format("%04X", c) + " found)";
    }
    return null;
  }

  /** A string of {@code min..max} characters; null when absent and not required. */
  public String string(String name, int min, int max, boolean required) {
    String value = text(name);
    if (value == null) {
      if (required && !errorsFor(name)) {
        fail(name, "is required");
      }
      return null;
    }
    int length = value.codePointCount(0, value.length());
    if (length < min || length > max) {
      fail(
          name,
          min == max
              ? "must be " + min + " characters"
              : "must be " + min + " to " + max + " characters long");
      return null;
    }
    return value;
  }

  /**
   * A string of {@code 1..max} characters that is not only white space, trimmed of the white space
   * around it; null when absent and not required.
   */
  public String words(String name, int max, boolean required) {
    String value = string(name, 1, max, required);
    if (value != null && value.isBlank()) {
      fail(name, "must not be blank");
      return null;
    }
    return value == null ? null : value.strip();
  }

  /** A whole number in {@code [min, max]}, or the default when absent. */
  public long number(String name, long min, long max, long defaultValue) {
    String value = text(name);
    if (value == null) {
      return defaultValue;
    }
    if (!decimal(value)) {
      fail(
          name,
          "must be a whole number between "
              + min
              + " and "
              + max
              + ", in ASCII digits"
              + (min < 0
                  ? " (a minus sign allowed, no plus, no spaces)"
                  : " (no sign, no spaces)"));
      return defaultValue;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      fail(name, "must be between " + min + " and " + max); // more digits than a long holds
      return defaultValue;
    }
    if (parsed < min || parsed > max) {
      fail(name, "must be between " + min + " and " + max);
      return defaultValue;
    }
    return parsed;
  }

  /**
   * Whether {@code value} is written in ASCII digits only, a minus first allowed (a negative number
   * is then out of range or not, by the bounds): Java would also read {@code +5}, {@code ٥} and
   * {@code ５}, which no client means as a number on purpose.
   */
  private static boolean decimal(String value) {
    int start = value.startsWith("-") ? 1 : 0;
    if (value.length() == start) {
      return false;
    }
    for (int i = start; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  public int integer(String name, int min, int max, int defaultValue) {
    return (int) number(name, min, max, defaultValue);
  }

  /** {@code true} or {@code false}, or the default when absent. */
  public Boolean bool(String name, Boolean defaultValue) {
    String value = text(name);
    if (value == null) {
      return defaultValue;
    }
    return switch (value) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> {
        fail(name, "must be true or false");
        yield defaultValue;
      }
    };
  }

  /** One of a fixed list of values, or the default (which may be null) when absent. */
  public String oneOf(String name, List<String> allowed, String defaultValue) {
    String value = text(name);
    if (value == null) {
      return defaultValue;
    }
    if (!allowed.contains(value)) {
      fail(name, "must be one of: " + String.join(", ", allowed));
      return defaultValue;
    }
    return value;
  }

  /**
   * A comma-separated list of values from a fixed list, without repeats, or the default when
   * absent.
   */
  public List<String> listOf(String name, List<String> allowed, List<String> defaultValue) {
    String value = text(name);
    if (value == null) {
      return defaultValue;
    }
    Set<String> values = new LinkedHashSet<>();
    for (String item : value.split(",", -1)) {
      String trimmed = item.trim();
      if (!allowed.contains(trimmed)) {
        fail(name, "must be a comma-separated list of: " + String.join(", ", allowed));
        return defaultValue;
      }
      if (!values.add(trimmed)) {
        fail(name, "names " + trimmed + " twice; each may be listed once");
        return defaultValue;
      }
    }
    return List.copyOf(values);
  }

  /** Whether any fault has been recorded so far. */
  public boolean hasFaults() {
    return !errors.isEmpty();
  }

  public UUID uuid(String name, boolean required) {
    String value = text(name);
    if (value == null) {
      if (required && !errorsFor(name)) {
        fail(name, "is required");
      }
      return null;
    }
    if (value.length() != 36) {
      fail(name, "must be a UUID");
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      fail(name, "must be a UUID");
      return null;
    }
  }

  /**
   * A comma-separated list of 1 to {@code max} UUIDs, in the order given; null when absent or
   * faulty.
   */
  public List<UUID> uuids(String name, int max) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    String[] parts = value.split(",", -1);
    if (value.isBlank()) {
      fail(name, "must list 1 to " + max + " UUIDs, comma separated");
      return null;
    }
    if (parts.length > max) {
      fail(name, "must list at most " + max + " UUIDs (" + parts.length + " given)");
      return null;
    }
    List<UUID> ids = new ArrayList<>(parts.length);
    for (String part : parts) {
      String id = part.trim();
      try {
        if (id.length() != 36) {
          throw new IllegalArgumentException(id);
        }
        UUID parsed = UUID.fromString(id);
        if (ids.contains(parsed)) {
          fail(name, "lists " + id + " twice; each id may be listed once");
          return null;
        }
        ids.add(parsed);
      } catch (IllegalArgumentException e) {
        fail(name, "must be a comma-separated list of UUIDs; '" + abbreviate(id) + "' is not one");
        return null;
      }
    }
    return List.copyOf(ids);
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }

  /**
   * An ISO-8601 time with an offset, or a bare date meaning midnight UTC; normalized to UTC, cut to
   * microseconds, and between {@link #EARLIEST} and {@link #LATEST}.
   */
  public OffsetDateTime time(String name, boolean required) {
    String value = text(name);
    if (value == null) {
      if (required && !errorsFor(name)) {
        fail(name, "is required");
      }
      return null;
    }
    OffsetDateTime time;
    try {
      time =
          value.length() == 10
              ? LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC)
              : OffsetDateTime.parse(value)
                  .withOffsetSameInstant(ZoneOffset.UTC)
                  .truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeParseException e) {
      fail(
          name,
          "must be an ISO-8601 time with an offset (2026-01-15T10:30:00Z) or a date (2026-01-15)"
              + (UNENCODED_PLUS.matcher(value).matches()
                  ? "; its offset arrived as a space: a + in a query string means a "
                      + "space, write it %2B (2026-01-15T10:30:00%2B05:00)"
                  : ""));
      return null;
    } catch (DateTimeException e) {
      time = null; // parsed, but past the years Java holds once moved to UTC
      // (+999999999-12-31T23:59:59-18:00)
    }
    if (time == null || time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
      fail(name, "must be between years 1 and 9999 (in UTC)");
      return null;
    }
    return time;
  }

  private boolean errorsFor(String name) {
    return errors.stream().anyMatch(e -> e.parameter().equals(name));
  }
}
