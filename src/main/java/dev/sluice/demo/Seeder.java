package dev.sluice.demo;

import dev.sluice.dataset.Catalog;
import dev.sluice.db.Changes;
import dev.sluice.db.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the domain tables with realistic demo data of a video platform, generated inside PostgreSQL
 * with {@code INSERT … SELECT … FROM generate_series(lo, hi)} in chunks of {@value #CHUNK_ROWS}
 * rows, on one connection whose random generator is seeded first: a scale always yields the same
 * rows (only the timestamps move with the clock, all of them relative to the moment the run
 * started).
 *
 * <p>Identifiers are functions of a row number ({@code md5('video-' || n)::uuid} …), so child rows
 * reference parents without joins. The attributes a child must agree with are functions of the
 * parent's number too (a salted {@code hashint8extended} of it, or the number itself): a video's
 * owner, creation time, status and duration; a user's role and sign-up time; a template's owner and
 * creation time. So an event never predates its video or its viewer, a video never predates its
 * owner, only ready and archived videos get events, only creators own videos and templates, and the
 * most viewed videos draw the most events.
 *
 * <p>The whole run is one transaction: readers see the old data or the new one (they wait on the
 * tables' locks meanwhile), and a failure leaves everything as it was. Within it the plain
 * secondary indexes are dropped and rebuilt after the load, and on a superuser connection (the
 * embedded database) foreign-key triggers are skipped, the references being right by construction.
 */
public final class Seeder {

  private static final Logger LOG = LoggerFactory.getLogger(Seeder.class);

  /** Rows per INSERT statement; progress is reported after each. */
  static final long CHUNK_ROWS = 100_000;

  static final double SEED = 0.4242;

  /** The tables a seeding run wipes and fills, in the order it fills them. */
  public static final List<String> TABLES =
      List.of(
          "users",
          "videos",
          "video_events",
          "user_sessions",
          "templates",
          "template_assets",
          "performance_metrics",
          "error_logs",
          "search_terms");

  /**
   * The pseudo-table name under which {@link Progress} hears about the secondary indexes being
   * rebuilt after the load ({@code done}/{@code total} count indexes, not rows).
   */
  public static final String INDEXES = "indexes";

  /**
   * The pseudo-table name under which {@link Progress} hears about tables being rewritten in
   * creation order.
   */
  public static final String CLUSTER = "ordering";

  private static final long DAY = 86_400;

  private final Pool pool;
  private final Progress progress;

  public Seeder(Pool pool, Progress progress) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.progress = progress == null ? Progress.none() : progress;
  }

  /** True when the users and videos tables have no rows. */
  public static Future<Boolean> isEmpty(Pool pool) {
    return pool.query(
            "SELECT NOT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM videos)")
        .execute()
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * Wipes the domain tables ({@code TRUNCATE … RESTART IDENTITY CASCADE}) and fills them at {@code
   * scale}, then analyzes them. Deterministic for a given scale.
   */
  public Future<SeedSummary> seed(SeedScale scale) {
    Objects.requireNonNull(scale, "scale");
    long started = System.nanoTime();
    return pool.withConnection(conn -> run(conn, scale, started));
  }

  private Future<SeedSummary> run(SqlConnection conn, SeedScale scale, long started) {
    Map<String, Long> rows = new LinkedHashMap<>();
    List<String> indexes = new ArrayList<>();
    LOG.info("seed.start scale={}", scale.label());
    // One transaction: readers see the old data or the new, never half of it, and a failure (or a
    // crash) leaves
    // the tables, and the indexes dropped for the load, as they were.
    Future<SeedSummary> work =
        conn.query("BEGIN")
            .execute()
            .compose(v -> conn.query("SET LOCAL statement_timeout = 0").execute())
            .compose(v -> conn.query("SET LOCAL synchronous_commit = off").execute())
            .compose(v -> skipForeignKeyChecks(conn))
            .compose(
                v ->
                    conn.query(
                            "TRUNCATE " + String.join(", ", TABLES) + " RESTART IDENTITY CASCADE")
                        .execute())
            .compose(v -> dropSecondaryIndexes(conn, indexes))
            .compose(v -> conn.query("SELECT setseed(" + SEED + ")").execute())
            .compose(v -> conn.query("SELECT floor(extract(epoch FROM now()))::bigint").execute())
            .compose(
                result -> {
                  Plan plan = new Plan(scale, result.iterator().next().getLong(0));
                  Future<Void> chain = Future.succeededFuture();
                  for (Step step : plan.steps()) {
                    chain =
                        chain.compose(
                            v ->
                                fill(conn, step)
                                    .map(
                                        count -> {
                                          rows.put(step.table(), count);
                                          return null;
                                        }));
                  }
                  return chain;
                })
            .compose(
                v ->
                    searchTerms(conn)
                        .map(
                            count -> {
                              rows.put("search_terms", count);
                              return null;
                            }))
            .compose(v -> createIndexes(conn, indexes))
            .compose(v -> storeInCreationOrder(conn))
            .compose(v -> conn.query("ANALYZE " + String.join(", ", TABLES)).execute())
            // the triggers that announce changes do not fire with foreign-key checks skipped:
            // announce them here (as schema.name, as the triggers do: migration V6), so every node
            // drops what it cached of the old data when this commits
            .compose(
                v -> {
                  Sql notify =
                      Sql.of("SELECT pg_notify(")
                          .param(Changes.CHANNEL)
                          .append(", 'public.' || t) FROM unnest(")
                          .param(TABLES.toArray(new String[0]))
                          .append("::text[]) AS t");
                  return conn.preparedQuery(notify.text()).execute(notify.tuple());
                })
            .compose(v -> conn.query("COMMIT").execute())
            .map(
                v -> {
                  SeedSummary summary =
                      new SeedSummary(rows, Duration.ofNanos(System.nanoTime() - started));
                  LOG.info(
                      "seed.done scale={} rows={} took_ms={} rows_per_s={}",
                      scale.label(),
                      summary.totalRows(),
                      summary.took().toMillis(),
                      Math.round(summary.rowsPerSecond()));
                  return summary;
                });
    return work.recover(
        err -> {
          LOG.warn("seed.failed scale={} error={}", scale.label(), err.getMessage());
          return conn.query("ROLLBACK").execute().transform(r -> Future.failedFuture(err));
        });
  }

  /**
   * The generated rows reference their parents by construction, so, when the role may (a superuser:
   * the embedded database), the load skips the foreign-key triggers (half the cost of inserting
   * events). The tests check the references instead.
   */
  private static Future<Void> skipForeignKeyChecks(SqlConnection conn) {
    return conn.query("SELECT current_setting('is_superuser') = 'on'")
        .execute()
        .compose(
            result ->
                Boolean.TRUE.equals(result.iterator().next().getBoolean(0))
                    ? conn.query("SET LOCAL session_replication_role = replica")
                        .execute()
                        .<Void>mapEmpty()
                    : Future.<Void>succeededFuture());
  }

  /**
   * Drops the plain secondary indexes of the seeded tables (not those behind a primary key or
   * unique constraint), remembering their definitions: building them once after the load is several
   * times faster than maintaining them row by row. Same transaction, so nothing outside ever sees a
   * table without them.
   */
  private static Future<Void> dropSecondaryIndexes(SqlConnection conn, List<String> definitions) {
    Sql indexes =
        Sql.of(
                """
        SELECT quote_ident(ns.nspname) || '.' || quote_ident(ci.relname), pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        JOIN pg_class ci ON ci.oid = i.indexrelid
        JOIN pg_class ct ON ct.oid = i.indrelid
        JOIN pg_namespace ns ON ns.oid = ct.relnamespace
        WHERE ns.nspname = current_schema() AND ct.relname = ANY (""")
            .param(TABLES.toArray(new String[0]))
            .append(
                """
        )
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY ct.relname, ci.relname""");
    return conn.preparedQuery(indexes.text())
        .execute(indexes.tuple())
        .compose(
            result -> {
              List<String> names = new ArrayList<>();
              for (Row row : result) {
                names.add(row.getString(0));
                definitions.add(row.getString(1));
              }
              if (names.isEmpty()) {
                return Future.succeededFuture();
              }
              return conn.query("DROP INDEX " + String.join(", ", names)).execute().mapEmpty();
            });
  }

  private Future<Void> createIndexes(SqlConnection conn, List<String> definitions) {
    long started = System.nanoTime();
    progress.update(INDEXES, 0, definitions.size());
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < definitions.size(); i++) {
      String definition = definitions.get(i);
      int done = i + 1;
      chain =
          chain
              .compose(v -> conn.query(definition).execute())
              .map(
                  v -> {
                    progress.update(INDEXES, done, definitions.size());
                    return null;
                  });
    }
    return chain.map(
        v -> {
          Duration took = Duration.ofNanos(System.nanoTime() - started);
          progress.finished(INDEXES, definitions.size(), took);
          LOG.info("seed.indexes created={} took_ms={}", definitions.size(), took.toMillis());
          return null;
        });
  }

  /**
   * Rewrites users and videos in the order they were created, as tables filled over time are: the
   * generators draw creation times at random, which would leave every row of a newest-first walk on
   * a different heap page.
   */
  private Future<Void> storeInCreationOrder(SqlConnection conn) {
    long started = System.nanoTime();
    progress.update(CLUSTER, 0, 2);
    return conn.query("CLUSTER users USING users_created_idx")
        .execute()
        .compose(
            v -> {
              progress.update(CLUSTER, 1, 2);
              return conn.query("CLUSTER videos USING videos_created_idx").execute();
            })
        .map(
            v -> {
              Duration took = Duration.ofNanos(System.nanoTime() - started);
              progress.finished(CLUSTER, 2, took);
              LOG.info("seed.ordered tables=users,videos took_ms={}", took.toMillis());
              return null;
            });
  }

  private Future<Long> fill(SqlConnection conn, Step step) {
    long started = System.nanoTime();
    progress.update(step.table(), 0, step.rows());
    return chunk(conn, step, 1, 0)
        .map(
            count -> {
              Duration took = Duration.ofNanos(System.nanoTime() - started);
              progress.finished(step.table(), count, took);
              LOG.info(
                  "seed.table table={} rows={} took_ms={}", step.table(), count, took.toMillis());
              return count;
            });
  }

  private Future<Long> chunk(SqlConnection conn, Step step, long lo, long done) {
    if (lo > step.rows()) {
      return Future.succeededFuture(done);
    }
    long hi = Math.min(step.rows(), lo + CHUNK_ROWS - 1);
    return conn.query(step.sql().chunk(lo, hi))
        .execute()
        .recover(
            err ->
                Future.failedFuture(
                    new IllegalStateException(
                        "seeding "
                            + step.table()
                            + " rows "
                            + lo
                            + ".."
                            + hi
                            + " failed: "
                            + err.getMessage(),
                        err)))
        .compose(
            result -> {
              long total = done + result.rowCount();
              progress.update(step.table(), total, step.rows());
              return chunk(conn, step, hi + 1, total);
            });
  }

  private Future<Long> searchTerms(SqlConnection conn) {
    long started = System.nanoTime();
    return conn.query(
            """
        INSERT INTO search_terms (term, frequency)
        SELECT term, count(*)
        FROM (SELECT regexp_split_to_table(lower(title), '[^a-z]+') AS term FROM videos
              UNION ALL
              SELECT regexp_split_to_table(lower(name), '[^a-z]+') FROM templates) words
        WHERE length(term) >= 3
        GROUP BY term""")
        .execute()
        .map(
            result -> {
              long count = result.rowCount();
              Duration took = Duration.ofNanos(System.nanoTime() - started);
              progress.finished("search_terms", count, took);
              LOG.info("seed.table table=search_terms rows={} took_ms={}", count, took.toMillis());
              return count;
            });
  }

  @FunctionalInterface
  interface ChunkSql {
    String chunk(long lo, long hi);
  }

  record Step(String table, long rows, ChunkSql sql) {}

  // ---------------------------------------------------------------------------------------------------------------
  // Word lists. Video titles are built per category from "things" (noun phrases) and "acts" (verb
  // phrases).

  static final String[] VIDEO_CATEGORIES = Catalog.VIDEO_CATEGORIES.toArray(new String[0]);

  /** Relative frequency of each of {@link Catalog#VIDEO_CATEGORIES}, in its order. */
  static final double[] VIDEO_CATEGORY_WEIGHTS = {17, 16, 12, 9, 4, 11, 7, 9, 9, 6};

  static final String[][] THINGS = {
    // in the order of Catalog.VIDEO_CATEGORIES
    {
      "guitar riffs",
      "piano chords",
      "drum grooves",
      "jazz standards",
      "synthwave beats",
      "vocal warmups"
    },
    {
      "speedrun strategies",
      "boss fights",
      "open world secrets",
      "retro consoles",
      "indie games",
      "esports highlights"
    },
    {
      "calculus basics",
      "world history",
      "chemistry experiments",
      "spanish vocabulary",
      "study habits",
      "physics puzzles"
    },
    {
      "basketball drills",
      "football tactics",
      "tennis serves",
      "marathon training",
      "climbing routes",
      "skateboard tricks"
    },
    {
      "election results",
      "climate summits",
      "space launches",
      "market updates",
      "tech layoffs",
      "weather alerts"
    },
    {
      "stand up sketches",
      "office pranks",
      "cat fails",
      "awkward moments",
      "parody songs",
      "improv games"
    },
    {
      "hidden beaches",
      "mountain villages",
      "night markets",
      "train journeys",
      "budget hostels",
      "road trips"
    },
    {
      "sourdough bread",
      "ramen noodles",
      "vegan curry",
      "chocolate cake",
      "street food",
      "pasta sauces"
    },
    {
      "smartphone cameras",
      "electric cars",
      "mechanical keyboards",
      "home servers",
      "machine learning",
      "drone footage"
    },
    {
      "morning routines",
      "indoor plants",
      "minimalist apartments",
      "productivity habits",
      "thrift fashion",
      "home workouts"
    },
  };

  static final String[][] ACTS = {
    // in the order of Catalog.VIDEO_CATEGORIES
    {
      "play fingerstyle guitar",
      "write a catchy chorus",
      "mix vocals",
      "produce lofi beats",
      "read sheet music",
      "tune a violin"
    },
    {
      "beat the final boss",
      "build a gaming pc",
      "win every ranked match",
      "speedrun minecraft",
      "stream on a budget",
      "master combo attacks"
    },
    {
      "learn python programming",
      "memorize anything",
      "solve quadratic equations",
      "write a research essay",
      "ace your exams",
      "understand black holes"
    },
    {
      "run a faster marathon",
      "shoot three pointers",
      "serve like a pro",
      "swim butterfly",
      "train for a triathlon",
      "land a kickflip"
    },
    {
      "read the markets",
      "spot fake news",
      "follow the election",
      "understand inflation",
      "track the hurricane",
      "watch the rocket launch"
    },
    {
      "prank your roommate",
      "survive family dinners",
      "tell a joke on stage",
      "fake a british accent",
      "annoy your siblings",
      "roast your friends"
    },
    {
      "pack a carry on",
      "plan a road trip",
      "find cheap flights",
      "travel solo",
      "hike volcano trails",
      "camp under the stars"
    },
    {
      "bake sourdough bread",
      "make fresh pasta",
      "grill the perfect steak",
      "brew cold coffee",
      "cook crispy tofu",
      "decorate a birthday cake"
    },
    {
      "build a home server",
      "fix a cracked screen",
      "set up a smart home",
      "train a neural network",
      "edit videos faster",
      "secure your wifi"
    },
    {
      "declutter your closet",
      "wake up early",
      "save money every month",
      "style a small room",
      "start journaling",
      "meal prep for a week"
    },
  };

  static final String[] PLACES = {
    "Kyoto",
    "Lisbon",
    "Iceland",
    "Patagonia",
    "Marrakech",
    "Bali",
    "New York",
    "Paris",
    "Tokyo",
    "Cape Town",
    "Vancouver",
    "the Alps",
    "Scotland",
    "Peru",
    "Norway",
    "Vietnam"
  };
  static final String[] SEASONS = {
    "in autumn",
    "in winter",
    "in spring",
    "in summer",
    "at night",
    "in the rain",
    "on a budget",
    "in 48 hours"
  };
  static final String[] SUFFIXES = {
    "", " at home", " like a pro", " in 10 minutes", " for beginners", " (step by step)"
  };
  static final String[] NUMBERS = {"3", "5", "7", "10", "12", "15", "20", "25"};
  static final String[] ADJECTIVES = {
    "quick",
    "deep",
    "friendly",
    "candid",
    "practical",
    "relaxed",
    "detailed",
    "hands-on",
    "no-nonsense",
    "fun"
  };

  static final String[] FIRST_NAMES = {
    "Emma", "Liam", "Olivia", "Noah", "Ava", "Mateo", "Sophia", "Lucas", "Mia", "Ethan", "Amelia",
    "Hiro", "Yuki", "Aisha", "Omar", "Fatima", "Ivan", "Elena", "Chen", "Mei", "Priya", "Arjun",
    "Lena", "Jonas", "Chloe", "Hugo", "Sofia", "Diego", "Zara", "Kofi", "Amara", "Nina", "Leo",
    "Isla", "Finn", "Sara", "Marco", "Giulia", "Tomás", "Ana"
  };
  static final String[] LAST_NAMES = {
    "Smith",
    "Johnson",
    "Garcia",
    "Martinez",
    "Brown",
    "Lopez",
    "Wilson",
    "Tanaka",
    "Sato",
    "Kim",
    "Park",
    "Nguyen",
    "Chen",
    "Wang",
    "Singh",
    "Patel",
    "Khan",
    "Ali",
    "Müller",
    "Schmidt",
    "Rossi",
    "Bianchi",
    "Dubois",
    "Martin",
    "Silva",
    "Santos",
    "Kowalski",
    "Novak",
    "Ivanova",
    "Petrov",
    "Okafor",
    "Mensah",
    "Andersen",
    "Larsen",
    "Jensen",
    "O'Brien",
    "Murphy",
    "Costa",
    "Haddad",
    "Cohen"
  };

  static final String[] DEVICES = {"web", "ios", "android", "tv"};
  static final double[] DEVICE_WEIGHTS = {45, 25, 22, 8};
  static final String[] COUNTRIES = {
    "US", "GB", "DE", "FR", "BR", "IN", "JP", "CA", "ES", "NL", "AU", "MX"
  };
  static final double[] COUNTRY_WEIGHTS = {28, 9, 8, 7, 10, 12, 7, 5, 4, 3, 4, 3};

  static final String[] TEMPLATE_CATEGORIES = Catalog.TEMPLATE_CATEGORIES.toArray(new String[0]);
  static final double[] TEMPLATE_CATEGORY_WEIGHTS = {20, 10, 20, 15, 10, 10, 10, 5};
  static final String[][] TEMPLATE_KINDS = {
    // in the order of Catalog.TEMPLATE_CATEGORIES
    {"Intro", "Logo Reveal", "Title Sequence", "Channel Opener", "Cinematic Opener"},
    {"Outro", "End Screen", "Subscribe Card", "Credits Roll", "Closing Slate"},
    {"Instagram Story", "Reel Cover", "TikTok Caption", "Shorts Template", "Post Carousel"},
    {"Product Launch", "Pitch Deck", "Explainer", "Testimonial", "Promo"},
    {"Lesson Opener", "Lecture Slides", "Quiz Card", "Course Trailer", "Whiteboard Explainer"},
    {"Stream Overlay", "Highlight Reel", "Kill Feed", "Starting Soon Screen", "Montage"},
    {"Lyric Video", "Audio Visualizer", "Album Teaser", "Concert Promo", "Beat Drop Intro"},
    {
      "Christmas Card",
      "New Year Countdown",
      "Halloween Invite",
      "Birthday Slideshow",
      "Wedding Slideshow"
    },
  };
  static final String[] TEMPLATE_STYLES = {
    "Minimal",
    "Bold",
    "Retro",
    "Neon",
    "Stylish",
    "Playful",
    "Cinematic",
    "Clean",
    "Glitch",
    "Vintage",
    "Modern",
    "Dynamic"
  };
  static final String[] TEMPLATE_THEMES = {
    "Summer",
    "Winter",
    "Sunset",
    "Ocean",
    "Urban",
    "Forest",
    "Galaxy",
    "Pastel",
    "Paper",
    "Film",
    "Vaporwave",
    "Corporate",
    "Travel",
    "Fitness",
    "Food"
  };

  static final String[] ASSET_TYPES = {"image", "video", "audio", "font", "overlay"};
  static final double[] ASSET_TYPE_WEIGHTS = {35, 20, 15, 10, 20};
  static final String[][] ASSET_NAMES = {
    {"Background image", "Logo placeholder", "Photo frame", "Paper texture"},
    {"Background loop", "B-roll clip", "Transition clip", "Intro footage"},
    {"Music bed", "Whoosh sound", "Click sound", "Voiceover guide"},
    {"Title font", "Body font", "Accent font", "Caption font"},
    {"Light leak", "Film grain", "Lower third", "Particle overlay"},
  };

  static final String[] COMPONENTS = Catalog.COMPONENTS.toArray(new String[0]);
  static final String[] METRICS = {
    "latency_ms", "throughput_rps", "error_rate", "cpu_percent", "memory_mb"
  };

  /**
   * Per component, in the order of {@link Catalog#COMPONENTS}: typical latency, throughput and
   * memory.
   */
  static final double[] BASE_LATENCY_MS = {35, 14, 9, 48, 11, 28, 3.5};

  static final double[] BASE_RPS = {1800, 650, 420, 260, 180, 300, 2400};
  static final double[] BASE_MEMORY_MB = {640, 900, 700, 1200, 520, 860, 6144};

  static final String[] SEVERITIES = Catalog.SEVERITIES.toArray(new String[0]);
  static final double[] SEVERITY_WEIGHTS = {20, 35, 25, 15, 5};
  static final String[] LOADERS = {
    "videos-loader", "users-loader", "analytics-loader", "templates-loader", "search-loader"
  };

  /** Per severity, "component|message"; component {@code *} is any. */
  static final String[][] MESSAGES = {
    {
      "videos-loader|cache miss for key videos:page:{n}",
      "gateway|cursor decoded for /videos: sort=-created_at limit={n}",
      "gateway|event bus request {loader}.list answered in {ms} ms",
      "database|prepared statement cache holds {n} statements"
    },
    {
      "gateway|GET /videos/{video} 200 in {ms} ms",
      "database|connection pool resized to {n} connections",
      "*|health check passed in {ms} ms",
      "videos-loader|streamed {n} rows of /videos in {ms} ms"
    },
    {
      "database|slow query on videos took {ms} ms (threshold 500 ms)",
      "database|connection pool wait queue reached {n} requests",
      "gateway|circuit breaker for {loader} is half-open",
      "analytics-loader|client went away after {n} rows of /analytics/reports"
    },
    {
      "database|statement timeout: query on video_events canceled after {ms} ms",
      "gateway|event bus reply timeout for {loader} after 30000 ms",
      "videos-loader|failed to load video {video}: connection reset by peer",
      "gateway|invalid cursor rejected on /users: signature mismatch"
    },
    {
      "database|database unreachable: connection refused (attempt {n})",
      "gateway|circuit breaker for {loader} opened after {n} consecutive failures",
      "*|heap usage above 95%, shedding load",
      "gateway|no handlers for event bus address {loader}.requests"
    },
  };

  /** Per severity: the smallest {m} (milliseconds) of a message and its spread. */
  static final int[] MESSAGE_MS_LOW = {1, 2, 500, 5000, 5000};

  static final int[] MESSAGE_MS_SPAN = {200, 400, 4500, 25000, 25000};

  static {
    // The weights and word lists follow the catalog's order: a catalog that changes without them
    // fails fast here.
    requireLengths(
        "video categories",
        VIDEO_CATEGORIES.length,
        VIDEO_CATEGORY_WEIGHTS.length,
        THINGS.length,
        ACTS.length);
    requireLengths(
        "template categories",
        TEMPLATE_CATEGORIES.length,
        TEMPLATE_CATEGORY_WEIGHTS.length,
        TEMPLATE_KINDS.length);
    requireLengths(
        "components",
        COMPONENTS.length,
        BASE_LATENCY_MS.length,
        BASE_RPS.length,
        BASE_MEMORY_MB.length);
    requireLengths(
        "severities",
        SEVERITIES.length,
        SEVERITY_WEIGHTS.length,
        MESSAGES.length,
        MESSAGE_MS_LOW.length,
        MESSAGE_MS_SPAN.length);
    requireLengths(
        "asset types", ASSET_TYPES.length, ASSET_TYPE_WEIGHTS.length, ASSET_NAMES.length);
  }

  private static void requireLengths(String what, int... lengths) {
    for (int length : lengths) {
      if (length != lengths[0]) {
        throw new IllegalStateException("the seeder's lists of " + what + " disagree in length");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /**
   * The SQL of one run: the scale's counts and the anchor instant every timestamp is relative to.
   */
  static final class Plan {

    final SeedScale scale;

    /** Epoch second of the start of the run; nothing generated is later. */
    final long now;

    /** Number of the UTC day of {@link #now}. */
    final long today;

    final long users;
    final long creators;
    final long videos;
    final long viewable;
    final long templates;

    Plan(SeedScale scale, long now) {
      this.scale = scale;
      this.now = now;
      this.today = Math.floorDiv(now, DAY);
      this.users = scale.users();
      this.creators = creators(users);
      this.videos = scale.videos();
      this.viewable = viewable(videos);
      this.templates = scale.templates();
    }

    /**
     * Users n with n % 50 in 1..14 are creators (28%), n % 50 = 0 admins (2%), the rest viewers.
     */
    static long creators(long users) {
      return 14 * (users / 50) + Math.min(users % 50, 14);
    }

    /**
     * Videos n with (n - 1) % 100 below 80 are ready, from 93 archived: the viewable ones (87%).
     */
    static long viewable(long videos) {
      long r = videos % 100;
      return 87 * (videos / 100) + Math.min(r, 80) + Math.max(0, r - 93);
    }

    List<Step> steps() {
      List<Step> steps = new ArrayList<>();
      steps.add(new Step("users", users, this::users));
      steps.add(new Step("videos", videos, this::videos));
      steps.add(new Step("video_events", scale.videoEvents(), this::videoEvents));
      steps.add(new Step("user_sessions", scale.userSessions(), this::userSessions));
      steps.add(new Step("templates", templates, this::templates));
      steps.add(new Step("template_assets", scale.templateAssets(), this::templateAssets));
      steps.add(
          new Step("performance_metrics", scale.performanceMetrics(), this::performanceMetrics));
      steps.add(new Step("error_logs", scale.errorLogs(), this::errorLogs));
      return steps;
    }

    // -- shared derivations: the same SQL text wherever parents and children must agree
    // --------------------------

    static final int SALT_USER_AGE = 1;
    static final int SALT_USER_COUNTRY = 2;
    static final int SALT_VIDEO_OWNER = 11;
    static final int SALT_VIDEO_AGE = 12;
    static final int SALT_VIDEO_DURATION = 13;
    static final int SALT_TEMPLATE_SYSTEM = 21;
    static final int SALT_TEMPLATE_OWNER = 22;
    static final int SALT_TEMPLATE_AGE = 23;

    /**
     * A uniform number in [0, 1) that is a fixed function of a row number: PostgreSQL's stable
     * 64-bit integer hash (the one hash partitioning relies on), salted per attribute.
     */
    static String unit(String n, int salt) {
      return "((hashint8extended(("
          + n
          + ")::bigint, "
          + salt
          + ") & 4294967295) / 4294967296.0::float8)";
    }

    /** Days since user n signed up: below 720, denser recently. */
    static String userAgeDays(String n) {
      return "(719.0::float8 * power(" + unit(n, SALT_USER_AGE) + ", 1.5::float8))";
    }

    /** Epoch second user n signed up. */
    String userCreated(String n) {
      return "(" + now + " - 86400 * " + userAgeDays(n) + ")";
    }

    /** The number of the k-th creator (k from 1). */
    static String creatorNumber(String k) {
      return "(50 * (((" + k + ") - 1) / 14) + ((" + k + ") - 1) % 14 + 1)";
    }

    /**
     * A creator chosen with skew by a uniform u: low-numbered channels own many videos and
     * templates.
     */
    String skewedCreator(String u) {
      return creatorNumber("1 + floor(power(" + u + ", 2) * " + creators + ")::int");
    }

    /** The owner (a creator's number) of video n. */
    String videoOwner(String n) {
      return skewedCreator(unit(n, SALT_VIDEO_OWNER));
    }

    static String videoStatus(String n) {
      return "(ARRAY['ready', 'processing', 'draft', 'failed', 'archived'])[1 + width_bucket((("
          + n
          + ") - 1) % 100, ARRAY[80, 85, 90, 93])]";
    }

    /**
     * Days since video n was created, given its owner's number and its status: never before its
     * owner signed up, within 360 days and denser recently; processing videos are a few hours old
     * at most.
     */
    static String videoAgeDays(String n, String owner, String status) {
      String ownerAge = userAgeDays(owner);
      String u = unit(n, SALT_VIDEO_AGE);
      return "(CASE WHEN "
          + status
          + " = 'processing' THEN least("
          + ownerAge
          + ", 0.25::float8) * "
          + u
          + " ELSE least("
          + ownerAge
          + ", 360::float8) * power("
          + u
          + ", 1.5::float8) END)";
    }

    /** Seconds, log-uniform from 10 s to 3 h (median about 5 minutes). */
    static String videoDuration(String n) {
      return "floor(10 * power(1079.9::float8, " + unit(n, SALT_VIDEO_DURATION) + "))::int";
    }

    /** The number of the k-th viewable (ready or archived) video, k from 1. */
    static String viewableNumber(String k) {
      String m = "((" + k + ") - 1) % 87";
      return "(100 * ((("
          + k
          + ") - 1) / 87) + CASE WHEN "
          + m
          + " < 80 THEN "
          + m
          + " ELSE "
          + m
          + " + 13 END + 1)";
    }

    /**
     * The rank of viewable video n (inverse of {@link #viewableNumber}): rank 1 is the most
     * watched.
     */
    static String viewRank(String n) {
      String m = "((" + n + ") - 1) % 100";
      return "(87 * ((("
          + n
          + ") - 1) / 100) + CASE WHEN "
          + m
          + " < 80 THEN "
          + m
          + " ELSE "
          + m
          + " - 13 END + 1)";
    }

    /**
     * Template n's owner (a creator's number), or null for about 12% (the platform's own
     * templates).
     */
    String templateOwner(String n) {
      return "(CASE WHEN "
          + unit(n, SALT_TEMPLATE_SYSTEM)
          + " < 0.12 THEN NULL ELSE "
          + skewedCreator(unit(n, SALT_TEMPLATE_OWNER))
          + " END)";
    }

    /** Days since template n was created: within 360 days, never before its owner signed up. */
    static String templateAgeDays(String n, String owner) {
      return "(coalesce(least("
          + userAgeDays(owner)
          + ", 360::float8), 360::float8) * power("
          + unit(n, SALT_TEMPLATE_AGE)
          + ", 1.3::float8))";
    }

    /**
     * An epoch second in [lo, now] with a daily rhythm (UTC): a day picked uniformly, then an hour
     * peaking around 20:00 (a quarter of the rows uniform over the day). Falls back to uniform in
     * [lo, now] when the picked instant is outside (today's future hours, or before lo).
     */
    String rhythm(
        String lo, String rDay, String rMix, String r1, String r2, String r3, String rFallback) {
      String peak =
          "(44 + (" + r1 + " + " + r2 + " + " + r3 + " - 1.5) * 8)"; // 20:00 (+ 24), sd about 4 h
      String hour =
          "(CASE WHEN "
              + rMix
              + " < 0.25 THEN 24 * "
              + r1
              + " ELSE "
              + peak
              + " - 24 * floor("
              + peak
              + " / 24) END)";
      String t0 =
          "(("
              + today
              + " - floor("
              + rDay
              + " * ("
              + today
              + " - floor(("
              + lo
              + ") / 86400) + 1))) * 86400"
              + " + 3600 * "
              + hour
              + ")";
      return "(CASE WHEN "
          + t0
          + " BETWEEN ("
          + lo
          + ") AND "
          + now
          + " THEN "
          + t0
          + " ELSE ("
          + lo
          + ") + ("
          + now
          + " - ("
          + lo
          + ")) * "
          + rFallback
          + " END)";
    }

    // -- generators
    // --------------------------------------------------------------------------------------------------

    String users(long lo, long hi) {
      return """
        INSERT INTO users (id, username, email, display_name, role, is_active, created_at, last_login_at)
        SELECT md5('user-' || n)::uuid, 'user_' || n, 'user_' || n || '@example.com',
               %s || ' ' || %s,
               CASE WHEN n %% 50 = 0 THEN 'admin' WHEN n %% 50 <= 14 THEN 'creator' ELSE 'viewer' END,
               r_active < 0.92,
               to_timestamp(created),
               CASE WHEN r_login < 0.06 THEN NULL
                    ELSE to_timestamp(created + (%d - created)
                                      * power(r_when, CASE WHEN r_active < 0.92 THEN 0.25 ELSE 2 END)) END
        FROM (SELECT n, random() AS r_first, random() AS r_last, random() AS r_active, random() AS r_login,
                     random() AS r_when, %s AS created
              FROM generate_series(%d, %d) AS n OFFSET 0) l1
        """
          .formatted(
              pick(FIRST_NAMES, "r_first"),
              pick(LAST_NAMES, "r_last"),
              now,
              userCreated("n"),
              lo,
              hi);
    }

    String videos(long lo, long hi) {
      String thing = pick2(THINGS, "c", "r_thing");
      String thing2 =
          "("
              + array2(THINGS)
              + ")[c][1 + (1 + floor(r_thing * 6)::int + floor(r_thing2 * 5)::int) % 6]";
      int travel = indexOf(VIDEO_CATEGORIES, "travel") + 1;
      int news = indexOf(VIDEO_CATEGORIES, "news") + 1;
      return """
        INSERT INTO videos (id, user_id, title, description, category, status, duration_seconds, view_count,
                            like_count, created_at)
        SELECT md5('video-' || n)::uuid, md5('user-' || owner)::uuid, title, description, category, status,
               %19$s, views, floor(views * (0.01 + 0.05 * r_like))::bigint,
               to_timestamp(%1$d - 86400 * %2$s)
        FROM (
          SELECT *,
                 CASE 1 + floor(r_pat * 8)::int
                   WHEN 1 THEN 'How to ' || act || %3$s
                   WHEN 2 THEN 'Top ' || num || ' ' || thing || ' for beginners'
                   WHEN 3 THEN 'The ultimate guide to ' || thing
                   WHEN 4 THEN upper(left(thing, 1)) || substr(thing, 2) || ' explained in ' || num || ' minutes'
                   WHEN 5 THEN CASE c WHEN %4$d THEN 'Travel vlog: ' || place || ' ' || season
                                      WHEN %5$d THEN 'Breaking: ' || thing || ' in ' || place
                                      ELSE upper(left(thing, 1)) || substr(thing, 2) || ' in ' || place || ' '
                                           || season END
                   WHEN 6 THEN 'Can you ' || act || ' in ' || num || ' days?'
                   WHEN 7 THEN 'Beginner ' || thing || ' tutorial (part ' || num || ')'
                   ELSE upper(left(thing, 1)) || substr(thing, 2) || ' vs ' || thing2 || ': which is better?'
                 END AS title,
                 CASE WHEN r_desc < 0.5
                      THEN 'A ' || %6$s || ' look at ' || thing
                           || ', with tips, common mistakes and a few surprises along the way.'
                      ELSE 'Today we ' || act || ' together, step by step, and answer your questions.' END
                 || CASE WHEN r_desc2 < 0.4 THEN ' Filmed in ' || place || '.'
                         WHEN r_desc2 < 0.7 THEN ' New ' || category || ' videos every week.'
                         ELSE '' END AS description
          FROM (
            SELECT *, %7$s AS thing, %8$s AS thing2, %9$s AS act, %10$s AS place, %11$s AS season, %12$s AS num,
                   (%13$s)[c] AS category,
                   CASE WHEN status IN ('ready', 'archived')
                        THEN floor(%14$d::float8 / %15$s * (2 + 20 * r_view))::bigint ELSE 0 END AS views
            FROM (
              SELECT *, 1 + width_bucket(r_cat, %16$s) AS c, %17$s AS status, %18$s AS owner
              FROM (
                SELECT n, random() AS r_cat, random() AS r_pat, random() AS r_thing, random() AS r_thing2,
                       random() AS r_act, random() AS r_suffix, random() AS r_place, random() AS r_season,
                       random() AS r_num, random() AS r_adj, random() AS r_desc, random() AS r_desc2,
                       random() AS r_view, random() AS r_like
                FROM generate_series(%20$d, %21$d) AS n OFFSET 0) l1
              OFFSET 0) l2
          ) l3
        ) l4
        """
          .formatted(
              now,
              videoAgeDays("n", "owner", "status"),
              pick(SUFFIXES, "r_suffix"),
              travel,
              news,
              pick(ADJECTIVES, "r_adj"),
              thing,
              thing2,
              pick2(ACTS, "c", "r_act"),
              pick(PLACES, "r_place"),
              pick(SEASONS, "r_season"),
              pick(NUMBERS, "r_num"),
              array(VIDEO_CATEGORIES),
              viewable,
              viewRank("n"),
              thresholds(VIDEO_CATEGORY_WEIGHTS),
              videoStatus("n"),
              videoOwner("n"),
              videoDuration("n"),
              lo,
              hi);
    }

    String videoEvents(long lo, long hi) {
      return """
        INSERT INTO video_events (video_id, user_id, event_type, watch_seconds, occurred_at)
        SELECT md5('video-' || v)::uuid,
               CASE WHEN r_anon < 0.3 OR user_created > t THEN NULL ELSE md5('user-' || viewer)::uuid END,
               event_type,
               CASE WHEN event_type = 'watch' THEN greatest(1, floor(duration * power(r_watch, 0.7)))::int ELSE 0 END,
               to_timestamp(t)
        FROM (
          SELECT *, %1$s AS t
          FROM (
            SELECT *, greatest(%2$d - 90 * 86400, %2$d - 86400 * %3$s) AS lo, %4$s AS duration,
                   %5$s AS user_created
            FROM (
              SELECT *, %6$s AS owner
              FROM (
                SELECT *, %7$s AS v, 'ready' AS status, 1 + floor(r_user * %8$d)::int AS viewer,
                       (ARRAY['view', 'watch', 'like', 'share'])[1 + width_bucket(r_type, ARRAY[0.70, 0.85, 0.95])]
                         AS event_type
                FROM (
                  SELECT n, random() AS r_video, random() AS r_type, random() AS r_user, random() AS r_anon,
                         random() AS r_day, random() AS r_mix, random() AS r_h1, random() AS r_h2, random() AS r_h3,
                         random() AS r_fallback, random() AS r_watch
                  FROM generate_series(%9$d, %10$d) AS n OFFSET 0) l1
                OFFSET 0) l2
              OFFSET 0) l3
            OFFSET 0) l4
          ) l5
        """
          .formatted(
              rhythm("lo", "r_day", "r_mix", "r_h1", "r_h2", "r_h3", "r_fallback"),
              now,
              videoAgeDays("v", "owner", "status"),
              videoDuration("v"),
              userCreated("viewer"),
              videoOwner("v"),
              viewableNumber("1 + floor(power(r_video, 3) * " + viewable + ")::int"),
              users,
              lo,
              hi);
    }

    String userSessions(long lo, long hi) {
      return """
        INSERT INTO user_sessions (id, user_id, started_at, ended_at, device, country)
        SELECT md5('session-' || n)::uuid, md5('user-' || u)::uuid, to_timestamp(t),
               CASE WHEN r_open < 0.05 OR t + 60 + power(r_len, 2) * 10740 > %1$d THEN NULL
                    ELSE to_timestamp(t + 60 + power(r_len, 2) * 10740) END,
               %2$s, %3$s
        FROM (
          SELECT *, %4$s AS t
          FROM (
            SELECT *, greatest(%1$d - 90 * 86400, %5$s) AS lo, %6$s AS r_country
            FROM (
              SELECT n, 1 + floor(power(random(), 1.5) * %7$d)::int AS u,
                     random() AS r_day, random() AS r_mix, random() AS r_h1, random() AS r_h2, random() AS r_h3,
                     random() AS r_fallback, random() AS r_len, random() AS r_open, random() AS r_device
              FROM generate_series(%8$d, %9$d) AS n OFFSET 0) l1
            OFFSET 0) l2
          ) l3
        """
          .formatted(
              now,
              pickWeighted(DEVICES, DEVICE_WEIGHTS, "r_device"),
              pickWeighted(COUNTRIES, COUNTRY_WEIGHTS, "r_country"),
              rhythm("lo", "r_day", "r_mix", "r_h1", "r_h2", "r_h3", "r_fallback"),
              userCreated("u"),
              unit("u", SALT_USER_COUNTRY),
              users,
              lo,
              hi);
    }

    String templates(long lo, long hi) {
      return """
        INSERT INTO templates (id, user_id, name, description, category, is_public, usage_count, created_at)
        SELECT md5('template-' || n)::uuid, md5('user-' || owner)::uuid,
               style || ' ' || theme || ' ' || %1$s,
               'A ' || lower(style) || ' ' || category || ' template with ' || scenes
                 || ' scenes, editable text and royalty-free music. Made for ' || lower(theme) || ' videos.',
               category, r_public < 0.85,
               CASE WHEN r_public < 0.85 THEN floor(power(10, r_use1 * r_use2 * 5.5))::bigint
                    ELSE floor(power(10, r_use1 * r_use2 * 2.5))::bigint - 1 END,
               to_timestamp(%2$d - 86400 * %3$s)
        FROM (
          SELECT *, (%4$s)[c] AS category, %5$s AS style, %6$s AS theme, 2 + floor(r_scenes * 11)::int AS scenes
          FROM (
            SELECT *, 1 + width_bucket(r_cat, %7$s) AS c, %8$s AS owner
            FROM (
              SELECT n, random() AS r_cat, random() AS r_kind, random() AS r_style, random() AS r_theme,
                     random() AS r_public, random() AS r_use1, random() AS r_use2, random() AS r_scenes
              FROM generate_series(%9$d, %10$d) AS n OFFSET 0) l1
            OFFSET 0) l2
          ) l3
        """
          .formatted(
              pick2(TEMPLATE_KINDS, "c", "r_kind"),
              now,
              templateAgeDays("n", "owner"),
              array(TEMPLATE_CATEGORIES),
              pick(TEMPLATE_STYLES, "r_style"),
              pick(TEMPLATE_THEMES, "r_theme"),
              thresholds(TEMPLATE_CATEGORY_WEIGHTS),
              templateOwner("n"),
              lo,
              hi);
    }

    String templateAssets(long lo, long hi) {
      return """
        INSERT INTO template_assets (id, template_id, name, asset_type, url, size_bytes, position, created_at)
        SELECT id, md5('template-' || tn)::uuid, %1$s, (%2$s)[k], 'https://cdn.example.com/assets/' || id || '.' ||
               CASE k WHEN 1 THEN CASE WHEN r_ext < 0.6 THEN 'png' ELSE 'jpg' END
                      WHEN 2 THEN 'mp4' WHEN 3 THEN 'mp3' WHEN 4 THEN 'woff2' ELSE 'webm' END,
               floor((ARRAY[50000, 2000000, 500000, 20000, 100000])[k]
                     * power((ARRAY[100, 100, 20, 15, 200])[k], r_size))::bigint,
               position,
               to_timestamp(created + least(%3$d - created, 3 * 86400) * r_created)
        FROM (
          SELECT *, %3$d - 86400 * %4$s AS created
          FROM (
            SELECT *, %5$s AS owner
            FROM (
              SELECT n, md5('asset-' || n)::uuid AS id, (n - 1) / %9$d + 1 AS tn, (n - 1) %% %9$d + 1 AS position,
                     1 + width_bucket(random(), %6$s) AS k, random() AS r_name, random() AS r_ext,
                     random() AS r_size, random() AS r_created
              FROM generate_series(%7$d, %8$d) AS n OFFSET 0) l1
            OFFSET 0) l2
          ) l3
        """
          .formatted(
              pick2(ASSET_NAMES, "k", "r_name"),
              array(ASSET_TYPES),
              now,
              templateAgeDays("tn", "owner"),
              templateOwner("tn"),
              thresholds(ASSET_TYPE_WEIGHTS),
              lo,
              hi,
              SeedScale.ASSETS_PER_TEMPLATE);
    }

    String performanceMetrics(long lo, long hi) {
      int combos = COMPONENTS.length * METRICS.length;
      long total = scale.performanceMetrics();
      long slots = (total + combos - 1) / combos;
      double window = 7.0 * DAY;
      return """
        INSERT INTO performance_metrics (component, metric, value, recorded_at)
        SELECT (%1$s)[comp], (%2$s)[metric],
               round((CASE metric
                 WHEN 1 THEN (%3$s)[comp] * (0.7 + 0.6 * load) * (0.75 + 0.5 * r1)
                             * CASE WHEN r2 < 0.01 THEN 8 + 10 * r3 ELSE 1 END
                 WHEN 2 THEN (%4$s)[comp] * load * (0.9 + 0.2 * r1)
                 WHEN 3 THEN 0.002 * (0.5 + r1) * (0.8 + 0.4 * load) + CASE WHEN r2 < 0.01 THEN 0.05 * r3 ELSE 0 END
                 WHEN 4 THEN least(100, 10 + 60 * load * (0.85 + 0.3 * r1) + CASE WHEN r2 < 0.01 THEN 25 ELSE 0 END)
                 ELSE (%5$s)[comp] * (0.85 + 0.1 * load + 0.05 * r1)
               END)::numeric, 4)::float8,
               to_timestamp(t)
        FROM (
          SELECT *, 0.6 + 0.4 * sin(2 * pi() * ((t - 86400 * floor(t / 86400)) / 3600 - 14) / 24) AS load
          FROM (
            SELECT *, %6$d - %7$s + (slot + 0.5 + (r_jitter - 0.5) * 0.8) * %8$s AS t
            FROM (
              SELECT n, (n - 1) / %9$d AS slot, ((n - 1) %% %9$d) / %10$d + 1 AS comp,
                     ((n - 1) %% %9$d) %% %10$d + 1 AS metric,
                     random() AS r_jitter, random() AS r1, random() AS r2, random() AS r3
              FROM generate_series(%11$d, %12$d) AS n OFFSET 0) l1
            ) l2
          ) l3
        """
          .formatted(
              array(COMPONENTS),
              array(METRICS),
              array(BASE_LATENCY_MS),
              array(BASE_RPS),
              array(BASE_MEMORY_MB),
              now,
              num(window),
              num(window / slots),
              combos,
              METRICS.length,
              lo,
              hi);
    }

    String errorLogs(long lo, long hi) {
      return """
        INSERT INTO error_logs (id, severity, component, message, occurred_at)
        SELECT md5('error-' || n)::uuid, (%1$s)[s], component,
               replace(replace(replace(replace(message, '{loader}', loader),
                                               '{n}', (2 + floor(power(r_n, 2) * 200))::text),
                                       '{ms}', ((ARRAY%2$s)[s] + floor(r_ms * (ARRAY%3$s)[s]))::text),
                       '{video}', md5('video-' || (1 + floor(r_video * %4$d)::int))::uuid::text),
               to_timestamp(%5$s)
        FROM (
          SELECT *, CASE split_part(template, '|', 1) WHEN '*' THEN %6$s ELSE split_part(template, '|', 1) END
                      AS component,
                 split_part(template, '|', 2) AS message, %7$s AS loader, %8$d - 30 * 86400 AS lo
          FROM (
            SELECT *, (%9$s)[s][1 + floor(r_template * %10$d)::int] AS template
            FROM (
              SELECT n, 1 + width_bucket(random(), %11$s) AS s, random() AS r_template, random() AS r_component,
                     random() AS r_loader, random() AS r_n, random() AS r_ms, random() AS r_video,
                     random() AS r_day, random() AS r_mix, random() AS r_h1, random() AS r_h2, random() AS r_h3,
                     random() AS r_fallback
              FROM generate_series(%12$d, %13$d) AS n OFFSET 0) l1
            ) l2
          ) l3
        """
          .formatted(
              array(SEVERITIES),
              java.util.Arrays.toString(MESSAGE_MS_LOW),
              java.util.Arrays.toString(MESSAGE_MS_SPAN),
              videos,
              rhythm("lo", "r_day", "r_mix", "r_h1", "r_h2", "r_h3", "r_fallback"),
              pick(COMPONENTS, "r_component"),
              pick(LOADERS, "r_loader"),
              now,
              array2(MESSAGES),
              MESSAGES[0].length,
              thresholds(SEVERITY_WEIGHTS),
              lo,
              hi);
    }
  }

  // -- SQL text helpers
  // ----------------------------------------------------------------------------------------------

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  static String array(String[] values) {
    return "ARRAY["
        + java.util.Arrays.stream(values).map(Seeder::literal).collect(Collectors.joining(", "))
        + "]";
  }

  static String array(double[] values) {
    return "ARRAY["
        + java.util.Arrays.stream(values).mapToObj(Seeder::num).collect(Collectors.joining(", "))
        + "]::float8[]";
  }

  static String array2(String[][] values) {
    int width = values[0].length;
    for (String[] row : values) {
      if (row.length != width) {
        throw new IllegalStateException("ragged word list");
      }
    }
    return "ARRAY["
        + java.util.Arrays.stream(values).map(Seeder::array).collect(Collectors.joining(", "))
        + "]";
  }

  /** A uniformly chosen element, by a uniform random column r in [0, 1). */
  static String pick(String[] values, String r) {
    return "(" + array(values) + ")[1 + floor(" + r + " * " + values.length + ")::int]";
  }

  /** Element of row i (from 1) chosen uniformly by r. */
  static String pick2(String[][] values, String i, String r) {
    return "("
        + array2(values)
        + ")["
        + i
        + "][1 + floor("
        + r
        + " * "
        + values[0].length
        + ")::int]";
  }

  /** An element chosen by r with the given relative weights. */
  static String pickWeighted(String[] values, double[] weights, String r) {
    return "(" + array(values) + ")[1 + width_bucket(" + r + ", " + thresholds(weights) + ")]";
  }

  /**
   * The cumulative bounds between buckets of the weights, for width_bucket (which then returns
   * 0..n-1).
   */
  static String thresholds(double[] weights) {
    double sum = java.util.Arrays.stream(weights).sum();
    StringBuilder sb = new StringBuilder("ARRAY[");
    double acc = 0;
    for (int i = 0; i < weights.length - 1; i++) {
      acc += weights[i];
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(num(acc / sum));
    }
    return sb.append("]::float8[]").toString();
  }

  static String num(double d) {
    return String.format(Locale.ROOT, "%.6f", d);
  }

  static int indexOf(String[] values, String value) {
    for (int i = 0; i < values.length; i++) {
      if (values[i].equals(value)) {
        return i;
      }
    }
    throw new IllegalArgumentException(value);
  }
}
