package dev.sluice.plan;

import dev.sluice.api.Params;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.Column;
import dev.sluice.dataset.DeclaredDataset;
import dev.sluice.dataset.Measure;
import dev.sluice.dataset.RowFormat;
import dev.sluice.dataset.Series;
import dev.sluice.dataset.SortKey;
import dev.sluice.db.Sql;
import io.vertx.pgclient.PgException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A declared dataset's planner (docs/API.md 8.2): its listing by cursor or by page (or a batch by
 * {@code ids}), its virtual-scroll ranges, its windows, single rows by key and its streams, all
 * from the declaration. Every SQL text comes from the declaration; the request gives only values,
 * bound as parameters, and choices among what is declared.
 */
final class DatasetLoads extends FamilyPlanner {

  private final DeclaredDataset dataset;
  private final Operations.DatasetOperations ops;
  private final Set<String> tables;

  /** The parameters a listing takes besides filters. */
  private static final List<String> LISTING =
      List.of("sort", "select", "cursor", "limit", "page", "per_page", "count");

  DatasetLoads(SluiceConfig settings, DeclaredDataset dataset) {
    super(settings);
    this.dataset = dataset;
    this.ops = Operations.DatasetOperations.of(dataset.name());
    this.tables = Set.copyOf(dataset.tables());
  }

  @Override
  String family() {
    return dataset.name();
  }

  @Override
  void register(Planners.Registry registry) {
    registry.page(ops.list(), this::list);
    if (dataset.hasKey()) {
      registry.page(ops.range(), this::range);
      registry.page(ops.item(), this::item);
    }
    if (dataset.time() != null) {
      registry.page(ops.window(), this::window);
    }
    registry.stream(ops.stream(), this::stream);
  }

  /**
   * A stream's listing, with the values only PostgreSQL checks tried before the stream is answered
   * ({@link ListQuery.Probe}).
   */
  private ListQuery stream(Params params) {
    List<Filters.Condition> conditions = Filters.read(params, dataset);
    ListQuery.Builder builder = query(params, ops.stream(), conditions);
    Sql probe = Filters.probe(conditions);
    if (probe != null) {
      builder.probe(new ListQuery.Probe(probe, refusal(params, true)));
    }
    return builder.build();
  }

  /** The listing a request asks for: its filters, sort and columns. */
  private ListQuery.Builder query(Params params, dev.sluice.api.Operation op) {
    return query(params, op, Filters.read(params, dataset));
  }

  /** As {@link #query(Params, dev.sluice.api.Operation)}, its filters read already. */
  private ListQuery.Builder query(
      Params params, dev.sluice.api.Operation op, List<Filters.Condition> conditions) {
    unknown(params, op);
    ListQuery.Builder builder =
        ListQuery.over(Sql.of(dataset.from()), dataset.dataset(), tables)
            .sort(dataset.dataset().sort(params.get("sort")));
    for (Filters.Condition condition : conditions) {
      builder.where(condition.column(), condition.text(), condition.sql());
    }
    List<String> select = params.get("select");
    if (select != null) {
      builder.columns(
          dataset.dataset().columns().stream().filter(c -> select.contains(c.name())).toList());
    }
    return builder;
  }

  /**
   * A parameter that is neither declared for the operation nor a filterable column is a fault
   * naming it (a misspelt filter must not silently widen the result).
   */
  private void unknown(Params params, dev.sluice.api.Operation op) {
    for (String name : params.names()) {
      if (!params.declares(name)) {
        params.fail(
            name,
            dataset.column(name) != null
                ? "column " + name + " cannot be filtered (not declared in filters)"
                : "is neither a parameter of this endpoint nor a filterable column of "
                    + dataset.name()
                    + " (filterable: "
                    + dataset.operators().keySet()
                    + ")");
      }
    }
  }

  private Load list(Params params) {
    if (params.has("ids")) {
      return batch(params);
    }
    boolean paged = !dataset.hasKey() || params.has("page") || params.has("per_page");
    if (paged && params.has("cursor")) {
      params.fail("cursor", "cannot be combined with page or per_page");
    }
    if (paged && params.has("limit")) {
      params.fail("limit", "cannot be combined with page or per_page (use per_page)");
    }
    ListQuery query = query(params, ops.list()).build();
    Load load =
        paged
            ? Load.offset(ops.list(), query, page(params), perPage(params), count(params))
            : Load.keyset(ops.list(), query, cursor(params), limit(params), count(params));
    return refusing(load, params);
  }

  private Load range(Params params) {
    Number from = params.get("start_index");
    Number to = params.get("end_index");
    long start = from == null ? 0 : from.longValue();
    long end = to == null ? 0 : to.longValue();
    if (end <= start) {
      params.fail("end_index", "must be greater than start_index");
    } else if (end - start > settings.maxLimit(dataset.name())) {
      params.fail(
          "end_index",
          "must be at most " + settings.maxLimit(dataset.name()) + " after start_index");
    }
    ListQuery query = query(params, ops.range()).build();
    return refusing(Load.range(ops.range(), query, start, end, count(params)), params);
  }

  /** One row by its key: {@code key} holds the values in key order, joined by {@code ,}. */
  private Load item(Params params) {
    unknown(params, ops.item());
    String text = params.get("key");
    List<String> values = keyValues(params, text);
    if (values == null) {
      return null;
    }
    List<Column> columns = dataset.dataset().columns();
    Key key = new Key(ops.item().qualifiedName()).add("key", values);
    Load load =
        Load.row(
            ops.item(),
            key,
            tables,
            columns,
            format -> keyed(format, values),
            "No row of " + dataset.name() + " has the key " + String.join(",", values));
    return refusing(load, params);
  }

  /**
   * A key's values from the path's text, split at each {@code ,} and then percent-decoded (the
   * gateway passes this path parameter as sent). Each is read by PostgreSQL as the key column's
   * type, in its own text form (a timestamp as {@code 2026-01-01 10:00:00+00} too); one it cannot
   * read is a 400 ({@link #refusing}).
   */
  private List<String> keyValues(Params params, String text) {
    if (text == null) {
      return null;
    }
    String[] parts = text.split(",", -1);
    if (parts.length != dataset.key().size()) {
      params.fail(
          "key",
          "must hold "
              + dataset.key().size()
              + " value(s), "
              + String.join(", ", dataset.key())
              + ", joined by ','");
      return null;
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      String value;
      try {
        value = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        params.fail("key", "is not validly percent-encoded");
        return null;
      }
      values.add(value);
    }
    return values;
  }

  /** The row whose key is {@code values}. */
  private Sql keyed(RowFormat format, List<String> values) {
    Sql sql =
        Sql.of("SELECT " + format.selectList() + " FROM " + dataset.from() + format.lateral())
            .append(" WHERE ");
    List<SortKey.Part> parts = dataset.keyParts();
    for (int i = 0; i < parts.size(); i++) {
      sql.append(i == 0 ? "" : " AND ")
          .append(parts.get(i).expression() + " = ")
          .textParam(values.get(i), parts.get(i).sqlType());
    }
    return sql;
  }

  /** Rows by {@code ids} (a one-column key), in the order asked. */
  private Load batch(Params params) {
    unknown(params, ops.list());
    for (String name : LISTING) {
      if (params.has(name)) {
        params.fail("ids", "cannot be combined with " + name);
      }
    }
    for (String column : dataset.operators().keySet()) {
      if (params.has(column)) {
        params.fail("ids", "cannot be combined with the filter " + column);
      }
    }
    String text = params.get("ids");
    if (dataset.keyParts().size() != 1) {
      params.fail("ids", "takes one-column keys; " + dataset.name() + "'s key is " + dataset.key());
      return null;
    }
    List<String> keys = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String value;
      try {
        value = URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        params.fail("ids", "is not validly percent-encoded");
        return null;
      }
      if (keys.contains(value)) {
        params.fail("ids", "names " + value + " twice");
        return null;
      }
      keys.add(value);
    }
    if (keys.size() > Bounds.MAX_IDS) {
      params.fail("ids", "must name at most " + Bounds.MAX_IDS + " keys");
      return null;
    }
    SortKey.Part part = dataset.keyParts().get(0);
    List<Column> columns = dataset.dataset().columns();
    Key key = new Key(ops.list().qualifiedName()).add("ids", keys);
    // each key read as the column's type and matched back by its place in the list (not by the
    // text PostgreSQL prints: 007 is 7, an upper-case UUID its lower-case one)
    Function<RowFormat, Sql> sql =
        format ->
            Sql.of("SELECT " + format.selectList() + ", k.o::text FROM unnest(")
                .param(keys.toArray(new String[0]))
                .append(
                    "::text[]) WITH ORDINALITY k(v, o) JOIN "
                        + dataset.from()
                        + " ON "
                        + part.expression()
                        + " = k.v::"
                        + part.sqlType()
                        + format.lateral());
    List<String> places = new ArrayList<>();
    for (int i = 1; i <= keys.size(); i++) {
      places.add(Integer.toString(i));
    }
    return refusing(Load.rows(ops.list(), key, tables, columns, sql, places), params);
  }

  private Load window(Params params) {
    unknown(params, ops.window());
    TimeWindow read = TimeWindow.read(params, "start", "end", settings.limits());
    TimeWindow window = read == null ? null : read.alignedToEpoch();
    if (window != null && window.bucketCount() > settings.limits().maxBuckets()) {
      // moved back to the grid, the window may hold one bucket more than its request asked for
      params.fail(
          "bucket",
          "cuts this window, aligned to the epoch's grid from "
              + window.startText()
              + ", into "
              + window.bucketCount()
              + " buckets; at most "
              + settings.limits().maxBuckets()
              + " are allowed");
    }
    List<String> wanted = params.get("measures");
    List<Measure> measures =
        dataset.measures().stream()
            .filter(m -> wanted == null || wanted.contains(m.name()))
            .toList();
    Series series = Series.over(dataset.name(), dataset, null, measures);
    Key scopeKey = new Key();
    Sql scope = new Sql();
    for (Filters.Condition condition : Filters.read(params, dataset)) {
      scopeKey.add(condition.column(), condition.text());
      scope.append(scope.isEmpty() ? "(" : " AND (").append(condition.sql()).append(")");
    }
    Load load =
        Load.window(
            ops.window(),
            window,
            List.of(series),
            scopeKey,
            scope.isEmpty() ? null : scope,
            null,
            null,
            null);
    return refusing(load, params);
  }

  /**
   * A load whose query PostgreSQL refuses for a value (a data exception, SQLSTATE class 22: a value
   * it cannot read as its column's type, or out of its range) fails with a 400 naming the filters
   * whose values it names, else every filter given.
   */
  private Load refusing(Load load, Params params) {
    return load.refusing(refusal(params, false));
  }

  /**
   * What a failure of this request's query means: PostgreSQL's refusal of a value (a data
   * exception, SQLSTATE class 22: a value it cannot read as its column's type, or out of its range)
   * is a 400 naming the filters whose values it quotes; any other failure is itself (a division by
   * zero in a view or a measure is the data's, not the request's). Of a {@code probe}, which reads
   * nothing but the request's values, a data exception that quotes none names every filter given.
   */
  private Function<Throwable, Throwable> refusal(Params params, boolean probe) {
    List<String> given = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (String column : dataset.operators().keySet()) {
      for (String text : params.texts(column)) {
        given.add(column);
        texts.add(text);
      }
    }
    for (String name : List.of("key", "ids")) {
      if (params.declares(name) && params.has(name)) {
        given.add(name);
        texts.add(String.valueOf(params.<Object>get(name)));
      }
    }
    return failure -> {
      if (!(failure instanceof PgException pg)
          || pg.getSqlState() == null
          || !pg.getSqlState().startsWith("22")) {
        return failure;
      }
      String message = pg.getErrorMessage();
      List<String> quoted = quoted(message);
      List<Problem.ParameterError> errors = new ArrayList<>();
      for (int i = 0; i < given.size(); i++) {
        String text = texts.get(i);
        int dot = text.indexOf('.', text.startsWith("not.") ? 4 : 0);
        String value = dot < 0 ? text : text.substring(dot + 1);
        if (!value.isEmpty() && blames(message, quoted, value)) {
          errors.add(new Problem.ParameterError(given.get(i), message));
        }
      }
      // a key (items, ids) holds values only: a data exception with one given is its
      boolean keyed = given.contains("key") || given.contains("ids");
      if (errors.isEmpty() && (probe || keyed)) {
        for (String name : new LinkedHashSet<>(given)) {
          if (probe || name.equals("key") || name.equals("ids")) {
            errors.add(new Problem.ParameterError(name, message));
          }
        }
      }
      return errors.isEmpty() ? failure : new ProblemException(Problem.invalidParameters(errors));
    };
  }

  /** A message that quotes one digit of the value it refuses (a bit string's, a bytea's). */
  private static final java.util.regex.Pattern DIGIT =
      java.util.regex.Pattern.compile("is not a valid (binary|hexadecimal|octal) digit");

  private static final java.util.regex.Pattern QUOTED =
      java.util.regex.Pattern.compile("\"([^\"]+)\"");

  /** The non-empty texts a PostgreSQL message quotes ({@code "("}). */
  private static List<String> quoted(String message) {
    List<String> all = new ArrayList<>();
    java.util.regex.Matcher m = QUOTED.matcher(message);
    while (m.find()) {
      all.add(m.group(1));
    }
    return all;
  }

  /**
   * Whether PostgreSQL's refusal names a filter's {@code value}: it quotes the value whole, or one
   * element of an {@code in} list, or (only for a digit it cannot read) a part of it. A text that
   * merely occurs in the message, or a token that occurs in the value, blames nothing: an error of
   * the data (a view's cast of a {@code "-"}) must not become the request's 400.
   */
  private static boolean blames(String message, List<String> quoted, String value) {
    List<String> whole = new ArrayList<>(List.of(value));
    if (value.length() > 1 && value.startsWith("(") && value.endsWith(")")) {
      for (String element : value.substring(1, value.length() - 1).split(",", -1)) {
        String e = element.strip();
        if (e.length() > 1 && e.startsWith("\"") && e.endsWith("\"")) {
          e = e.substring(1, e.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        whole.add(e);
      }
    }
    boolean digit = DIGIT.matcher(message).find();
    // a value holding quotes is quoted whole too ("{"unclosed}"), which the token scan cannot cut
    return whole.stream().anyMatch(w -> message.contains("\"" + w + "\""))
        || quoted.stream().anyMatch(t -> whole.contains(t) || (digit && value.contains(t)));
  }
}
