package dev.sluice.plan;

import dev.sluice.api.Operation;
import dev.sluice.api.Params;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.config.SluiceConfig;
import dev.sluice.stream.StreamProtocol;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Every operation's planner, and the one place where a request's parameters are validated: every
 * parameter the operation declares ({@link Operations}) is read as declared, then the planner reads
 * the values (collecting the faults only it can see, such as an end before a start) and returns
 * what to load; {@link #plan} throws the collected faults as one 400 before anything is loaded.
 * Pure: no database, no verticle, so the gateway plans with the same code to find a cached reply,
 * and answers a bad request itself.
 */
public final class Planners {

  /** Plans a request/reply operation. */
  @FunctionalInterface
  interface Planner {
    Load plan(Params params);
  }

  /** Plans a stream: what it lists. */
  @FunctionalInterface
  public interface StreamPlanner {
    ListQuery plan(Params params);
  }

  /**
   * A stream operation's planner and, for one a client may follow, the table whose writes wake it.
   */
  public record StreamPlan(StreamPlanner planner, String followTable) {}

  /** Where the families register what they plan. */
  final class Registry {
    void page(Operation operation, Planner planner) {
      pages.put(operation, planner);
    }

    void stream(Operation operation, StreamPlanner planner) {
      streams.put(operation, new StreamPlan(planner, null));
    }

    /**
     * A stream that, with {@code follow=true}, stays open and sends the rows written to {@code
     * table} after.
     */
    void followableStream(Operation operation, StreamPlanner planner, String table) {
      streams.put(operation, new StreamPlan(planner, table));
    }
  }

  private final Map<Operation, Planner> pages = new java.util.LinkedHashMap<>();
  private final Map<Operation, StreamPlan> streams = new java.util.LinkedHashMap<>();
  private final Operations operations;

  private Planners(Operations operations) {
    this.operations = operations;
    SluiceConfig settings = operations.settings();
    Registry registry = new Registry();
    List<FamilyPlanner> demo =
        List.of(
            new VideoLoads(settings),
            new UserLoads(settings),
            new AnalyticsLoads(settings),
            new TemplateLoads(settings),
            new SearchLoads(settings));
    for (FamilyPlanner family : settings.demo() ? demo : List.<FamilyPlanner>of()) {
      family.register(registry);
    }
    for (dev.sluice.dataset.DeclaredDataset dataset : operations.datasets()) {
      new DatasetLoads(settings, dataset).register(registry);
    }
  }

  /** The planners of the operations {@link Operations#create} declares for {@code settings}. */
  public static Planners create(SluiceConfig settings) {
    return new Planners(Operations.create(settings));
  }

  /** The planners of {@code operations}: requests are read as they declare. */
  public static Planners create(Operations operations) {
    return new Planners(operations);
  }

  /** What the planners read requests with. */
  public Operations operations() {
    return operations;
  }

  /**
   * A request's parameters as {@code operation} declares them, every declared one read (its faults
   * recorded) before any planner looks at them: a parameter declared and never read by its planner
   * is still checked.
   */
  public Params params(Operation operation, JsonObject request) {
    return declared(operation, request, null);
  }

  /** As {@link #params}, leaving {@code skipped} (when not null) unread and undeclared. */
  private Params declared(Operation operation, JsonObject request, String skipped) {
    List<dev.sluice.api.Parameter> parameters = operations.spec(operation).parameters();
    if (skipped != null) {
      parameters = parameters.stream().filter(p -> !p.name().equals(skipped)).toList();
    }
    return new Params(request, parameters).readDeclared();
  }

  /** Whether {@code operation} is a request/reply operation planned here. */
  public boolean plans(Operation operation) {
    return pages.containsKey(operation);
  }

  /**
   * The load a request asks for; a {@link ProblemException} (400) naming every bad parameter, else.
   */
  public Load plan(Operation operation, JsonObject request) {
    Planner planner = pages.get(operation);
    if (planner == null) {
      throw new ProblemException(Problem.notFound("No operation " + operation.qualifiedName()));
    }
    Params params = declared(operation, request, null);
    return validated(params, () -> planner.plan(params));
  }

  public StreamPlan streamPlan(Operation operation) {
    return streams.get(operation);
  }

  /** What a stream request lists, validated like a page request. */
  public ListQuery planStream(Operation operation, Params params) {
    StreamPlan plan = streams.get(operation);
    return validated(params, () -> plan.planner().plan(params));
  }

  /**
   * A stream request, read and checked: what it lists, where it starts and ends, in which snapshot,
   * whether it follows.
   *
   * @param after the keyset values to start after (a resumed stream), or null
   * @param until the keyset values of the last item to send, or null
   * @param following the stream stays open and sends the rows written after ({@link
   *     StreamPlan#followTable})
   */
  public record StreamRequest(
      ListQuery query,
      List<String> after,
      List<String> until,
      String snapshot,
      boolean following) {}

  /**
   * Reads a stream request's parameters, with the same faults for every client (the loader when the
   * stream opens, the gateway for a {@code HEAD}, which opens nothing): a {@link ProblemException}
   * (400) naming every bad parameter. Resume positions are checked with {@code cursors}, which must
   * hold the loaders' secret.
   */
  public StreamRequest streamRequest(Operation operation, JsonObject request, CursorCodec cursors) {
    StreamPlan plan = streams.get(operation);
    if (plan == null) {
      throw new ProblemException(Problem.notFound("No stream " + operation.qualifiedName()));
    }
    // a resume position from the SSE Last-Event-ID header travels under the header's name, so a bad
    // one is reported
    // as that header, not as the query parameter; it wins over after, which is then not read at all
    boolean header = request.containsKey(StreamProtocol.LAST_EVENT_ID);
    String parameter = header ? StreamProtocol.LAST_EVENT_ID : "after";
    Params params = declared(operation, request, header ? "after" : null);
    String after = params.get(parameter);
    String until = params.get(StreamProtocol.UNTIL);
    String snapshot = params.get(StreamProtocol.SNAPSHOT);
    // follow is declared by the streams that can follow, and like any unknown parameter ignored by
    // the others
    boolean following = plan.followTable() != null && Boolean.TRUE.equals(params.get("follow"));
    if (following && until != null) {
      params.fail(StreamProtocol.UNTIL, "cannot be combined with follow=true");
    }
    if (snapshot != null && (following || !snapshotId(snapshot))) {
      params.fail(
          StreamProtocol.SNAPSHOT,
          following ? "cannot be combined with follow=true" : "is not an exported snapshot's id");
    }
    ListQuery query = planStream(operation, params);
    String binding = CursorCodec.binding(query.canonical());
    return new StreamRequest(
        query,
        position(cursors, after, parameter, operation, binding, query),
        position(cursors, until, StreamProtocol.UNTIL, operation, binding, query),
        snapshot,
        following);
  }

  /**
   * The keyset values a resume position names; a forged or foreign one is a 400 naming {@code
   * parameter}.
   */
  private static List<String> position(
      CursorCodec cursors,
      String position,
      String parameter,
      Operation operation,
      String binding,
      ListQuery query) {
    return position == null
        ? null
        : cursors
            .decode(position, parameter, operation.qualifiedName(), binding, query.sort().size())
            .key();
  }

  /**
   * Runs a planner, then throws the faults it recorded. A planner that trips over a value it could
   * not read (a null left by a fault) fails with those faults too, never with a 500.
   */
  private static <T> T validated(Params params, java.util.function.Supplier<T> planner) {
    T planned;
    try {
      planned = planner.get();
    } catch (RuntimeException e) {
      if (!(e instanceof ProblemException)) {
        params.validate();
      }
      throw e;
    }
    params.validate();
    return planned;
  }

  private static final java.util.regex.Pattern SNAPSHOT_ID =
      java.util.regex.Pattern.compile("[0-9A-F]{1,16}-[0-9A-F]{1,16}-[0-9]{1,10}");

  /**
   * Whether {@code id} has the shape of an exported snapshot's id (it is written into SQL as a
   * literal).
   */
  public static boolean snapshotId(String id) {
    return SNAPSHOT_ID.matcher(id).matches();
  }
}
