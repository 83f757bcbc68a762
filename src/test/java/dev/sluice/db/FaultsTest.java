package dev.sluice.db;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.TestDatabase;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.db.Faults.Kind;
import dev.sluice.db.Faults.Rule;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

@EndToEnd
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
@DisplayName("One table says what a failed load means: retried or not, and what the client is told")
class FaultsTest {

  private static Vertx vertx;
  private static PgConnectOptions database;

  /**
   * How each row's failure is made for real, by its cause label; a row missing here fails its test.
   */
  private static final Map<String, Case> CASES = new LinkedHashMap<>();

  /**
   * One real failure of a row: how it is made, what it must be (a PgException carries {@code
   * sqlState}), and what makes it.
   */
  private record Case(
      String how, Class<? extends Throwable> type, String sqlState, Callable<Throwable> provoke) {}

  static {
    sql(
        "statement_timeout",
        "57014",
        "a statement past its statement_timeout",
        "SET statement_timeout = 50; SELECT pg_sleep(1)");
    // vertx-pg-client 5.0.7 takes every 57P01 ErrorResponse for an unsolicited one: it fails no
    // query with it (a
    // terminated backend is heard of as a lost connection, see terminatedBackend) and a RAISE of it
    // leaves the query
    // waiting for ever. The server's own message, then, as the client would build it.
    CASES.put(
        "admin_shutdown",
        new Case(
            "the server's FATAL 57P01, as the client decodes it",
            PgException.class,
            "57P01",
            () ->
                new PgException(
                    "terminating connection due to administrator command",
                    "FATAL",
                    "57P01",
                    null)));
    raised("crash_shutdown", "57P02");
    raised("cannot_connect_now", "57P03");
    CASES.put(
        "too_many_connections",
        new Case(
            "a login past its role's CONNECTION LIMIT",
            PgException.class,
            "53300",
            FaultsTest::tooManyConnections));
    raised("serialization_failure", "40001");
    CASES.put(
        "deadlock",
        new Case(
            "two transactions taking two advisory locks in opposite orders",
            PgException.class,
            "40P01",
            FaultsTest::deadlock));
    raised("connection_exception", "08006");
    sql(
        "insufficient_resources",
        "53400",
        "a sort spilling past temp_file_limit",
        "SET work_mem = '64kB'; SET temp_file_limit = '64kB'; "
            + "SELECT count(*) FROM (SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC OFFSET 0) s");
    CASES.put(
        "connection_closed",
        new Case(
            "the connection closed (FIN) under a running query",
            ClosedConnectionException.class,
            null,
            () -> cutUnderQuery(false)));
    CASES.put(
        "connect_failed",
        new Case(
            "a pool pointed at a closed port",
            ConnectException.class,
            null,
            FaultsTest::connectRefused));
    CASES.put(
        "connection_lost",
        new Case(
            "the connection reset (RST) under a running query",
            SocketException.class,
            null,
            () -> cutUnderQuery(true)));
    CASES.put(
        "pool_full",
        new Case(
            "two queries on a pool of one connection and no wait queue",
            ConnectionPoolTooBusyException.class,
            null,
            FaultsTest::poolFull));
    CASES.put(
        "circuit_open",
        new Case(
            "a call through an open circuit breaker",
            OpenCircuitException.class,
            null,
            FaultsTest::circuitOpen));
    CASES.put(
        "timeout",
        new Case(
            "a call past a circuit breaker's timeout",
            io.vertx.circuitbreaker.TimeoutException.class,
            null,
            FaultsTest::circuitTimeout));
    sql("statement_error", "22012", "a division by zero", "SELECT 1/0");
  }

  private static void sql(String cause, String sqlState, String how, String sql) {
    CASES.put(cause, new Case(how, PgException.class, sqlState, () -> failureOf(sql)));
  }

  /**
   * A SQLSTATE the test cannot bring about on a healthy server, raised by PL/pgSQL with that very
   * code.
   */
  private static void raised(String cause, String sqlState) {
    CASES.put(
        cause,
        new Case(
            "RAISE EXCEPTION with ERRCODE " + sqlState,
            PgException.class,
            sqlState,
            () -> raise(sqlState)));
  }

  @BeforeAll
  static void start(Vertx shared) {
    vertx = shared;
    database = PgConnectOptions.fromUri(TestDatabase.url());
  }

  @TestFactory
  @DisplayName("every row classifies a real instance of the failure it describes")
  Stream<DynamicTest> everyRow() {
    return Faults.RULES.stream()
        .map(rule -> DynamicTest.dynamicTest(name(rule), () -> check(rule)));
  }

  private static String name(Rule rule) {
    Case c = CASES.get(rule.cause());
    return rule.cause() + " is " + rule.kind() + (c == null ? "" : ": " + c.how());
  }

  private static void check(Rule rule) throws Exception {
    Case c = CASES.get(rule.cause());
    assertNotNull(c, "no test makes the failure of row " + rule.cause());
    Throwable failure = c.provoke().call();
    assertInstanceOf(c.type(), failure, "the failure made: " + failure);
    if (c.sqlState() != null) {
      assertEquals(c.sqlState(), ((PgException) failure).getSqlState(), failure.getMessage());
    }
    assertSame(
        rule, Faults.of(failure), () -> failure + " classified as " + Faults.of(failure).cause());
    assertEquals(
        rule.kind() == Kind.TRANSIENT, Faults.retriable(failure), "retried only when transient");
    assertEquals(
        rule.kind() != Kind.PERMANENT
            && rule.kind() != Kind.BUSY
            && !"circuit_open".equals(rule.cause()),
        Faults.isDatabaseFault(failure),
        "the breaker counts it (never Sluice's own capacity: pool_full)");
  }

  @Test
  @DisplayName("a row added to the table without a test for it is caught")
  void everyRowHasATest() {
    List<String> causes = Faults.RULES.stream().map(Rule::cause).toList();
    assertEquals(causes.size(), Set.copyOf(causes).size(), "cause labels are unique: " + causes);
    Set<String> untested = new java.util.TreeSet<>(causes);
    untested.removeAll(CASES.keySet());
    Set<String> stale = new java.util.TreeSet<>(CASES.keySet());
    stale.removeAll(causes);
    assertAll(
        () -> assertEquals(Set.of(), untested, "rows of Faults.RULES without a test here"),
        () -> assertEquals(Set.of(), stale, "tests of rows no longer in Faults.RULES"));
  }

  @Test
  @DisplayName("a backend terminated under a query is transient, however the client hears of it")
  void terminatedBackend() {
    Map<String, Kind> heard = new java.util.TreeMap<>();
    for (int i = 0; i < 12; i++) {
      Throwable failure = failureOf("SELECT pg_terminate_backend(pg_backend_pid())");
      heard.put(
          failure.getClass().getSimpleName() + " → " + Faults.of(failure).cause(),
          Faults.of(failure).kind());
    }
    // vertx-pg-client reports a reset (SocketException) or a closed connection, as the race goes
    assertTrue(
        heard.values().stream().allMatch(kind -> kind == Kind.TRANSIENT), () -> "heard " + heard);
  }

  @Test
  @DisplayName("a syntax error is a fault of the statement: permanent, 500")
  void syntaxError() throws Exception {
    Throwable failure = failureOf("SELEC 1");
    assertEquals("42601", assertInstanceOf(PgException.class, failure).getSqlState());
    assertEquals("statement_error", Faults.of(failure).cause());
    assertEquals(Kind.PERMANENT, Faults.of(failure).kind());
    assertFalse(Faults.retriable(failure));
    assertFalse(Faults.isDatabaseFault(failure));
  }

  @Test
  @DisplayName(
      "the table is read in order: a statement timeout is a TIMEOUT, not a PERMANENT statement error")
  void timeoutBeforeStatementError() throws Exception {
    Throwable failure = failureOf("SET statement_timeout = 50; SELECT pg_sleep(1)");
    Rule statementError = rule("statement_error");
    assertTrue(statementError.matches().test(failure), "the last row would match it too");
    assertEquals(Kind.TIMEOUT, Faults.of(failure).kind());
  }

  @Test
  @DisplayName("the table is read in order: 53300 is transient, the rest of class 53 unavailable")
  void tooManyConnectionsBeforeInsufficientResources() throws Exception {
    Throwable tooMany = raise("53300");
    assertTrue(
        rule("insufficient_resources").matches().test(tooMany), "the class row would match it too");
    assertEquals(Kind.TRANSIENT, Faults.of(tooMany).kind());
    for (String other : List.of("53000", "53100", "53200", "53400")) {
      Throwable failure = raise(other);
      assertEquals("insufficient_resources", Faults.of(failure).cause(), other);
      assertEquals(Kind.UNAVAILABLE, Faults.of(failure).kind(), other);
      assertFalse(Faults.retriable(failure), other);
    }
  }

  @Test
  @DisplayName("a wrapped failure is classified by the first cause the table knows")
  void wrappedCause() throws Exception {
    Throwable terminated = raise("57P03");
    Throwable wrapped =
        new IllegalStateException("load failed", new RuntimeException("on the way", terminated));
    assertEquals("cannot_connect_now", Faults.of(wrapped).cause());
    assertTrue(Faults.retriable(wrapped));
    assertTrue(Faults.isDatabaseFault(wrapped));
    assertEquals("connect_failed", Faults.of(new CompletionException(connectRefused())).cause());
  }

  @Test
  @DisplayName(
      "a problem already decided (429, 503 of the limiter…) is never a database fault, nor retried")
  void problemIsNoDatabaseFault() {
    Problem busy = Problem.unavailable("Too many loads waiting", 1);
    ProblemException problem = new ProblemException(busy);
    assertFalse(Faults.isDatabaseFault(problem));
    assertFalse(Faults.retriable(problem));
    assertSame(busy, Faults.problemOf(problem, 5, 7));
    ProblemException streams = new ProblemException(Problem.tooManyStreams());
    assertEquals(429, Faults.problemOf(streams, 5, 7).status());
    assertFalse(Faults.isDatabaseFault(streams));
  }

  @Test
  @DisplayName("a failure no row knows is Sluice's own: permanent, 500, not the database's")
  void unknownIsInternal() {
    Throwable bug = new NullPointerException("videos.title was null");
    assertEquals("internal", Faults.of(bug).cause());
    assertEquals(Kind.PERMANENT, Faults.of(bug).kind());
    assertFalse(Faults.retriable(bug));
    assertFalse(Faults.isDatabaseFault(bug));
    Problem problem = Faults.problemOf(bug, 5, 1);
    assertEquals(500, problem.status());
    assertFalse(problem.toJson().encode().contains("videos.title"), problem.toJson().encode());
  }

  @Test
  @DisplayName(
      "what the client is told: 503 with Retry-After, 504 past the timeout, 500 without internals")
  void problems() throws Exception {
    Problem transientProblem =
        Faults.problemOf(failureOf("SELECT pg_terminate_backend(pg_backend_pid())"), 5, 3);
    Problem unavailable = Faults.problemOf(poolFull(), 5, 2);
    Problem timeout =
        Faults.problemOf(failureOf("SET statement_timeout = 50; SELECT pg_sleep(1)"), 5, 3);
    Throwable division = failureOf("SELECT 1/0");
    Problem internal = Faults.problemOf(division, 5, 3);
    assertAll(
        () -> assertEquals(503, transientProblem.status()),
        () -> assertEquals(3, transientProblem.retryAfterSeconds()),
        () -> assertEquals(503, unavailable.status()),
        () -> assertEquals(2, unavailable.retryAfterSeconds()),
        () -> assertEquals(504, timeout.status()),
        () -> assertNull(timeout.retryAfterSeconds()),
        () -> assertTrue(timeout.detail().contains("5 s"), timeout.detail()),
        () -> assertEquals(500, internal.status()),
        () -> assertNull(internal.retryAfterSeconds()),
        () ->
            assertFalse(
                internal.toJson().encode().contains("division"), internal.toJson().encode()),
        () -> assertFalse(internal.toJson().encode().contains("22012"), internal.toJson().encode()),
        () -> assertFalse(internal.toJson().encode().contains("1/0"), internal.toJson().encode()));
  }

  // the real failures

  private static Rule rule(String cause) {
    return Faults.RULES.stream().filter(r -> r.cause().equals(cause)).findFirst().orElseThrow();
  }

  /**
   * Runs {@code sql} (simple protocol, so several statements) on a connection of its own and
   * returns its failure.
   */
  private static Throwable failureOf(String sql) {
    return failure(
        PgConnection.connect(vertx, database)
            .compose(conn -> conn.query(sql).execute().eventually(conn::close)));
  }

  private static Throwable raise(String sqlState) {
    return failureOf(
        "DO $$ BEGIN RAISE EXCEPTION 'raised by FaultsTest' USING ERRCODE = '"
            + sqlState
            + "'; END $$");
  }

  private static Throwable tooManyConnections() {
    String role = "faults_test_no_connections";
    try {
      run("DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 0");
      return failure(
          PgConnection.connect(
                  vertx, new PgConnectOptions(database).setUser(role).setPassword(role))
              .compose(SqlConnection::close));
    } finally {
      run("DROP ROLE IF EXISTS " + role);
    }
  }

  private static Throwable deadlock() {
    return failure(
        Future.all(PgConnection.connect(vertx, database), PgConnection.connect(vertx, database))
            .compose(
                both -> {
                  SqlConnection a = both.resultAt(0);
                  SqlConnection b = both.resultAt(1);
                  // the deadlock is found after deadlock_timeout (1 s by default)
                  return a.query(
                          "SET deadlock_timeout = 100; BEGIN; SELECT pg_advisory_xact_lock(1)")
                      .execute()
                      .compose(
                          r ->
                              b.query(
                                      "SET deadlock_timeout = 100; BEGIN; SELECT pg_advisory_xact_lock(2)")
                                  .execute())
                      .compose(
                          r ->
                              Future.join(
                                  a.query("SELECT pg_advisory_xact_lock(2)").execute(),
                                  b.query("SELECT pg_advisory_xact_lock(1)").execute()))
                      .eventually(() -> Future.join(a.close(), b.close()));
                }));
  }

  /**
   * A query through a relay whose client side is cut while the query runs: closed (FIN) or reset
   * (RST). The client's own {@code close()} would wait for the query to finish instead.
   */
  private static Throwable cutUnderQuery(boolean reset) throws IOException {
    try (Relay relay = new Relay(database.getHost(), database.getPort())) {
      return failure(
          PgConnection.connect(
                  vertx, new PgConnectOptions(database).setHost("127.0.0.1").setPort(relay.port()))
              .compose(
                  conn -> {
                    Future<?> query = conn.query("SELECT pg_sleep(2)").execute();
                    return vertx
                        .timer(200)
                        .compose(
                            t -> {
                              relay.cut(reset);
                              return query;
                            });
                  }));
    }
  }

  private static Throwable connectRefused() {
    Pool pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(1))
            .connectingTo(
                new PgConnectOptions(database).setPort(closedPort()).setReconnectAttempts(0))
            .using(vertx)
            .build();
    return failure(pool.query("SELECT 1").execute().eventually(pool::close));
  }

  private static Throwable poolFull() {
    Pool pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(0))
            .connectingTo(database)
            .using(vertx)
            .build();
    Future<?> first = pool.query("SELECT pg_sleep(0.2)").execute();
    Future<?> second = pool.query("SELECT 1").execute();
    Throwable failure = failure(second);
    assertNull(outcome(first.eventually(pool::close)));
    return failure;
  }

  private static Throwable circuitOpen() {
    CircuitBreaker breaker =
        CircuitBreaker.create("faults-test-open", vertx, new CircuitBreakerOptions());
    breaker.open();
    return failure(
        breaker.execute(() -> PgConnection.connect(vertx, database).compose(SqlConnection::close)));
  }

  private static Throwable circuitTimeout() {
    CircuitBreaker breaker =
        CircuitBreaker.create(
            "faults-test-timeout", vertx, new CircuitBreakerOptions().setTimeout(50));
    Future<?> sleeping =
        PgConnection.connect(vertx, database)
            .compose(conn -> conn.query("SELECT pg_sleep(0.5)").execute().eventually(conn::close));
    Throwable failure = failure(breaker.execute(() -> sleeping));
    assertNull(outcome(sleeping));
    return failure;
  }

  private static void run(String sql) {
    assertNull(
        outcome(
            PgConnection.connect(vertx, database)
                .compose(conn -> conn.query(sql).execute().eventually(conn::close))),
        sql);
  }

  private static Throwable failure(Future<?> work) {
    Throwable cause = outcome(work);
    assertNotNull(cause, "the work was expected to fail");
    return cause;
  }

  /**
   * Waits for {@code work} to end (15 s at most: a hung test says so) and gives its failure, null
   * on success.
   */
  private static Throwable outcome(Future<?> work) {
    try {
      return work.<Throwable>transform(ar -> Future.succeededFuture(ar.cause()))
          .await(15, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the work neither failed nor succeeded in 15 s", e);
    }
  }

  /**
   * A TCP relay to the database whose client sides can be cut, as a network or a server going away
   * would.
   */
  private static final class Relay implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    Relay(String host, int port) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      daemon(
          () -> {
            try {
              while (true) {
                Socket client = server.accept();
                Socket upstream = new Socket(host, port);
                clients.add(client);
                sockets.add(client);
                sockets.add(upstream);
                daemon(() -> pump(client, upstream));
                daemon(() -> pump(upstream, client));
              }
            } catch (IOException closed) {
              // the relay was closed
            }
          });
    }

    int port() {
      return server.getLocalPort();
    }

    /** Cuts every client connection: a FIN, or with {@code reset} an RST (SO_LINGER 0). */
    void cut(boolean reset) {
      for (Socket client : clients) {
        try {
          if (reset) {
            client.setSoLinger(true, 0);
          }
          client.close();
        } catch (IOException ignored) {
          // already gone
        }
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : sockets) {
        socket.close();
      }
    }

    private static void pump(Socket from, Socket to) {
      try {
        from.getInputStream().transferTo(to.getOutputStream());
      } catch (IOException ended) {
        // one side went away
      } finally {
        try {
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }

    private static void daemon(Runnable work) {
      Thread thread = new Thread(work, "faults-test-relay");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private static int closedPort() {
    // below the ephemeral range, so no outbound connection of this machine takes it meanwhile
    return dev.sluice.TestDatabase.freePort();
  }
}
