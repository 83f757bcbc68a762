package dev.sluice.plan;

import dev.sluice.api.Operation;
import dev.sluice.api.Params;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.Dataset;
import dev.sluice.dataset.DeclaredDataset;
import dev.sluice.dataset.SearchSource;
import dev.sluice.db.Sql;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Search: full-text results over ready videos and public templates ranked by relevance with a
 * keyset on (rank, id), and typo-tolerant completions of a prefix from the words of titles and
 * names.
 */
final class SearchLoads extends FamilyPlanner {

  private static final Dataset HITS = DemoRoutes.SEARCH_HITS;

  /** The words of titles and names with their frequency, for suggestions. */
  private static final DeclaredDataset TERMS = DemoRoutes.SEARCH_TERMS;

  /**
   * The words of {@link #TERMS} near a typed text by trigram similarity, a function of it
   * (migration V5).
   */
  private static final String NEAR_TERMS =
      dev.sluice.dataset.Identifiers.qualified(TERMS.relation().schema(), "search_terms_near");

  SearchLoads(SluiceConfig settings) {
    super(settings);
  }

  @Override
  String family() {
    return "search";
  }

  @Override
  void register(Planners.Registry registry) {
    registry.page(Operation.SEARCH, this::search);
    registry.page(Operation.SUGGESTIONS, this::suggestions);
    registry.stream(Operation.SEARCH_STREAM, this::hits);
  }

  private Load search(Params params) {
    return Load.keyset(
        Operation.SEARCH, hits(params), cursor(params), limit(params), count(params));
  }

  /** Ranked hits of the search parameters: the union of every source the {@code type} allows. */
  private ListQuery hits(Params params) {
    String text = params.get("query");
    String type = params.get("type");
    String category = params.get("category");
    Sql union = new Sql().append("(");
    Set<String> tables = new LinkedHashSet<>();
    for (SearchSource source : DemoRoutes.SEARCH_SOURCES) {
      if (type == null || type.equals(source.type())) {
        if (!tables.isEmpty()) {
          union.append(" UNION ALL ");
        }
        union.append(hitsOf(source, text, category));
        tables.add(source.table());
      }
    }
    union.append(") s");
    return ListQuery.over(union, HITS, tables)
        .described("query", text)
        .described("type", type)
        .described("category", category)
        .build();
  }

  /**
   * One source's hits, with every column named as the hit's fields, so the branches line up in any
   * order.
   */
  private static Sql hitsOf(SearchSource source, String text, String category) {
    Sql sql = new Sql();
    String query = sql.bind(text);
    sql.append(
        "SELECT '"
            + source.type()
            + "'::text AS type, a.id, a."
            + source.titleColumn()
            + " AS title, "
            + "a.description, a.category, a."
            + source.popularityColumn()
            + " AS popularity, a.created_at, "
            + "ts_rank(a.search_vector, q) AS rank FROM "
            + source.table()
            + " a, websearch_to_tsquery('english', "
            + query
            + ") q WHERE a.search_vector @@ q AND a."
            + source.visibleCondition());
    if (category != null) {
      sql.append(" AND a.category = ").param(category);
    }
    return sql;
  }

  private Load suggestions(Params params) {
    String text = params.get("query");
    int limit = params.<Integer>get("limit");
    String prefix = text == null ? "" : text.toLowerCase(Locale.ROOT);
    // the words that complete the prefix, and the near misses (the words near it by pg_trgm
    // similarity, through the
    // trigram index, see V5): completions first, then by closeness of the word or of its start,
    // then by how common
    // the word is
    return Load.list(
        Operation.SUGGESTIONS,
        new Key(Operation.SUGGESTIONS.qualifiedName()).add("query", prefix).add("limit", limit),
        Set.copyOf(TERMS.tables()),
        TERMS.dataset().columns(),
        rows -> {
          Sql sql = new Sql();
          String term = sql.bind(prefix);
          String pattern =
              sql.bind(prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
          return sql.append(
                  "SELECT "
                      + rows.selectList()
                      + " FROM (SELECT term, frequency FROM "
                      + TERMS.relation().qualified()
                      + " WHERE term LIKE "
                      + pattern
                      + " UNION SELECT term, frequency FROM "
                      + NEAR_TERMS
                      + "("
                      + term
                      + ")) d"
                      + rows.lateral()
                      + " ORDER BY (d.term LIKE "
                      + pattern
                      + ") DESC, greatest(word_similarity("
                      + term
                      + ", d.term), similarity(d.term, "
                      + term
                      + ")) DESC, "
                      + "d.frequency DESC, d.term LIMIT ")
              .param(limit);
        });
  }
}
