package dev.sluice.loader;

import dev.sluice.bus.Addresses;
import dev.sluice.bus.LoaderReply;
import dev.sluice.bus.Operation;
import dev.sluice.data.Catalog;
import dev.sluice.data.Sql;
import dev.sluice.strategy.CountMode;
import dev.sluice.strategy.ListQuery;
import dev.sluice.strategy.Params;
import dev.sluice.strategy.SortKey;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Search: full-text results over ready videos and public templates ranked by relevance with a keyset on
 * (rank, id), and typo-tolerant completions of a prefix from the words of titles and names.
 */
public class SearchLoaderVerticle extends LoaderVerticle {

  static final List<String> TYPES = List.of("video", "template");
  static final SortKey BY_RANK = new SortKey("-rank", "s.rank", "real", "s.id", "uuid");
  static final List<String> CATEGORIES;

  static {
    List<String> all = new ArrayList<>(Catalog.VIDEO_CATEGORIES);
    Catalog.TEMPLATE_CATEGORIES.stream().filter(c -> !all.contains(c)).forEach(all::add);
    CATEGORIES = List.copyOf(all);
  }

  /** A hit's fields; {@code popularity} is a video's views or a template's uses. */
  static final String COLUMNS = "s.type, s.id, s.title, s.description, s.category, s.popularity, s.created_at, s.rank";
  private static final String VIDEO_HITS = "SELECT 'video' AS type, v.id, v.title, v.description, v.category, "
    + "v.view_count AS popularity, v.created_at, ts_rank(v.search_vector, q) AS rank "
    + "FROM videos v, websearch_to_tsquery('english', $1) q WHERE v.search_vector @@ q AND v.status = 'ready'";
  private static final String TEMPLATE_HITS = "SELECT 'template' AS type, t.id, t.name, t.description, t.category, "
    + "t.usage_count, t.created_at, ts_rank(t.search_vector, q) "
    + "FROM templates t, websearch_to_tsquery('english', $1) q WHERE t.search_vector @@ q AND t.is_public";

  @Override
  protected String address() {
    return Addresses.SEARCH;
  }

  @Override
  protected String family() {
    return "search";
  }

  @Override
  protected Future<Void> operations() {
    serve(Operation.SEARCH, this::search);
    serve(Operation.SUGGESTIONS, this::suggestions);
    serveStream(Operation.SEARCH_STREAM, SearchLoaderVerticle::hits);
    return Future.succeededFuture();
  }

  private Future<LoaderReply> search(Params params) {
    ListQuery query = hits(params);
    String cursor = cursor(params);
    int limit = limit(params);
    CountMode count = CountMode.read(params, CountMode.NONE);
    params.validate();
    return pages.keyset(Operation.SEARCH, query, cursor, limit, count);
  }

  /** Ranked hits of the search parameters; null when they are invalid (the faults are recorded in params). */
  private static ListQuery hits(Params params) {
    String text = params.string("query", 1, 200, true);
    String type = params.oneOf("type", TYPES, null);
    String category = params.oneOf("category", CATEGORIES, null);
    if (text == null) {
      return null;
    }
    Sql hits = new Sql().append("(");
    if (!"template".equals(type)) {
      hits.append(hitsOf(VIDEO_HITS, "v", text, category));
    }
    if (type == null) {
      hits.append(" UNION ALL ");
    }
    if (!"video".equals(type)) {
      hits.append(hitsOf(TEMPLATE_HITS, "t", text, category));
    }
    hits.append(") s");
    return ListQuery.from(hits, COLUMNS)
      .where("query=" + text + "&type=" + type + "&category=" + category, new Sql().append("true"))
      .sort(BY_RANK)
      .build();
  }

  private static Sql hitsOf(String select, String alias, String text, String category) {
    Sql sql = Sql.raw(select, text);
    if (category != null) {
      sql.append(" AND " + alias + ".category = ").param(category);
    }
    return sql;
  }

  private Future<LoaderReply> suggestions(Params params) {
    String text = params.string("query", 1, 100, true);
    int limit = params.integer("limit", 1, 50, 10);
    params.validate();
    String prefix = text.trim().toLowerCase(Locale.ROOT);
    String pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    // prefix matches first, then near misses (pg_trgm similarity of the word or of its start) by closeness, then by how common the word is
    Sql sql = Sql.raw("SELECT json_build_object('term', term, 'frequency', frequency)::text FROM search_terms "
      + "WHERE term LIKE $2 OR $1 <% term OR term % $1 "
      + "ORDER BY (term LIKE $2) DESC, greatest(word_similarity($1, term), similarity(term, $1)) DESC, "
      + "frequency DESC, term LIMIT $3",
      prefix, pattern, limit);
    return pages.single(Operation.SUGGESTIONS, sql);
  }
}
