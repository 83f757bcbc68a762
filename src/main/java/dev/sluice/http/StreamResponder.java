package dev.sluice.http;

import dev.sluice.api.Operation;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.bus.SluiceClient;
import dev.sluice.config.SluiceConfig;
import dev.sluice.node.MemoryLevel;
import dev.sluice.node.Node;
import dev.sluice.node.StreamLimits;
import dev.sluice.plan.CursorCodec;
import dev.sluice.plan.Planners;
import dev.sluice.stream.BusReadStream;
import dev.sluice.stream.StreamProtocol;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the streaming endpoints: picks the format from {@code Accept} (406 for one it does not
 * speak), takes a place within the stream limits (429 past them), opens the bus stream (a 400 for
 * bad parameters still comes as a problem, before any byte of body), then pipes batches into the
 * chunked response. A client that goes away cancels the producer at once; one that stops reading is
 * cut after the idle timeout; a failure mid-stream truncates NDJSON and ends SSE with an {@code
 * error} event.
 */
final class StreamResponder {

  private static final Logger LOG = LoggerFactory.getLogger(StreamResponder.class);

  private final Vertx vertx;
  private final SluiceClient client;
  private final SluiceConfig settings;
  private final StreamLimits limits;
  private final Node node;
  private final Planners planners;
  private final CursorCodec cursors;
  private final Set<Session> open = new LinkedHashSet<>();

  /**
   * What a stream speaks, in order of preference: NDJSON by default and for a wildcard, SSE when
   * asked.
   */
  private static final List<String> FORMATS =
      List.of(StreamBody.NDJSON, StreamBody.SSE, StreamBody.CSV);

  private static final java.util.function.Supplier<ProblemException> SHUTTING_DOWN =
      () ->
          new ProblemException(
              Problem.unavailable(
                  "This node is shutting down; resume from the cursor elsewhere", 1));

  StreamResponder(Node node, SluiceClient client, SluiceConfig settings, Planners planners) {
    this.node = node;
    this.vertx = node.vertx();
    this.planners = planners;
    this.cursors = CursorCodec.of(settings.cursor());
    this.client = client;
    this.settings = settings;
    this.limits = node.streamLimits();
  }

  Handler<RoutingContext> handler(Operation operation) {
    return ctx -> serve(ctx, operation);
  }

  /**
   * Ends every stream this responder is sending the way a failure mid-stream ends it (NDJSON
   * truncated, SSE with an {@code error} event carrying the resume cursor), so that clients resume
   * elsewhere: the node is shutting down.
   */
  void shutDown() {
    List.copyOf(open).forEach(session -> session.end(Ending.FAILED, SHUTTING_DOWN.get()));
  }

  private void serve(RoutingContext ctx, Operation operation) {
    String format = Negotiation.choose(ctx.parsedHeaders().accept(), FORMATS);
    if (format == null) {
      Problems.send(
          ctx,
          Problem.notAcceptable(
              "This stream speaks "
                  + StreamBody.NDJSON
                  + ", "
                  + StreamBody.SSE
                  + " and "
                  + StreamBody.CSV));
      return;
    }
    if (node.memoryLevel() == MemoryLevel.CRITICAL) {
      Problems.send(
          ctx, Problem.unavailable("Memory is short; new streams are refused until it is not", 5));
      return;
    }
    // read as declared (plan.Operations) when the stream is planned: here only whether to write
    // checkpoints
    String checkpoints = ctx.request().getParam("checkpoints");
    JsonObject params = HttpGatewayVerticle.params(ctx);
    String lastEventId = ctx.request().getHeader(StreamProtocol.LAST_EVENT_ID);
    if (lastEventId != null && !lastEventId.isEmpty()) {
      params.put(StreamProtocol.LAST_EVENT_ID, lastEventId);
    }
    if (ctx.request().method() == HttpMethod.HEAD) {
      // the parameters read as the loader reads them when a GET opens the stream, and the headers
      // a GET would start with; no stream opened
      try {
        planners.streamRequest(operation, params, cursors);
      } catch (ProblemException e) {
        Problems.send(ctx, e.problem());
        return;
      }
      headers(ctx.response(), format).end();
      return;
    }
    CsvRows.Layout csv = null;
    if (StreamBody.CSV.equals(format)) {
      // the header names the columns even when no row comes: as the loader will plan the rows
      try {
        List<String> names =
            planners.streamRequest(operation, params, cursors).query().columns().stream()
                .map(dev.sluice.dataset.Column::name)
                .toList();
        dev.sluice.dataset.DeclaredDataset declared =
            planners.operations().dataset(operation.family());
        boolean[] json = new boolean[names.size()];
        for (int i = 0; i < json.length && declared != null; i++) {
          dev.sluice.dataset.Relation.Attribute column = declared.column(names.get(i));
          json[i] = column != null && java.util.Set.of("json", "jsonb").contains(column.baseName());
        }
        csv = new CsvRows.Layout(names, json);
      } catch (ProblemException e) {
        Problems.send(ctx, e.problem());
        return;
      }
    }
    CsvRows.Layout header = csv;
    String clientAddress = ctx.request().remoteAddress().host();
    if (!limits.tryAcquire(clientAddress)) {
      Problems.send(ctx, Problem.tooManyStreams());
      return;
    }
    long idleMs = settings.streaming().idleTimeoutSeconds() * 1000L;
    int window = settings.lazy().creditWindow();
    client.withRequestId(Edge.requestId(ctx)).stream(
            operation, params, window, settings.lazy().backpressureThreshold(), idleMs)
        .onFailure(
            err -> {
              limits.release(clientAddress);
              Problems.send(ctx, err);
            })
        .onSuccess(
            stream -> {
              Session session =
                  new Session(
                      ctx,
                      stream,
                      format,
                      header,
                      "true".equals(checkpoints),
                      idleMs,
                      clientAddress);
              if (node.state().isShuttingDown()) {
                session.end(
                    Ending.FAILED, SHUTTING_DOWN.get()); // opened while shutDown() ended the others
              }
            });
  }

  private static HttpServerResponse headers(HttpServerResponse response, String format) {
    Edge.vary(response, "Accept"); // the format; Accept-Encoding is Edge's
    return response
        .putHeader("Content-Type", format)
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
  }

  /** How a stream ended. */
  enum Ending {
    /** Every item was sent and the body ended as the format says. */
    COMPLETED,
    /** The client went away: nothing more can be written. */
    CLIENT_GONE,
    /** The client stopped reading past the idle timeout: its connection is cut. */
    STALLED,
    /**
     * The producer failed, or the node is shutting down: the body ends as a failure, never like a
     * complete one.
     */
    FAILED
  }

  /**
   * One HTTP stream from its first byte to its end. Every way it can end (completion, failure, the
   * client gone or stalled, shutdown) goes through {@link #end}, which runs once: it stops the
   * timer, cancels the producer unless it completed, ends the body as the ending says, and gives
   * back the stream's place.
   */
  private final class Session {
    private final RoutingContext ctx;
    private final BusReadStream stream;
    private final StreamBody body;
    private final String clientAddress;
    private final long timer;
    private boolean ended;

    Session(
        RoutingContext ctx,
        BusReadStream stream,
        String format,
        CsvRows.Layout columns,
        boolean checkpoints,
        long idleMs,
        String clientAddress) {
      this.ctx = ctx;
      this.stream = stream;
      this.clientAddress = clientAddress;
      HttpServerResponse response = headers(ctx.response().setChunked(true), format);
      body =
          switch (format) {
            case StreamBody.SSE -> StreamBody.sse(ctx.request());
            case StreamBody.CSV -> StreamBody.csv(ctx.request(), columns);
            default ->
                StreamBody.ndjson(
                    ctx.request(), checkpoints ? settings.streaming().checkpointEvery() : 0);
          };
      response
          .writeHead(); // the client knows at once that its stream was accepted, before the first
      // batch
      open.add(this);
      Map<String, Long> delivered = node.streams().delivered();
      body.progressHandler(items -> delivered.put(stream.address(), items));
      long keepaliveMs = settings.keepaliveMillis();
      timer =
          vertx.setPeriodic(
              Math.max(50, Math.min(idleMs, keepaliveMs) / 4),
              id -> {
                long quiet = System.currentTimeMillis() - body.lastWrite;
                if (body.writeQueueFull()) {
                  if (quiet > idleMs) {
                    end(Ending.STALLED, null);
                  }
                } else if (quiet >= keepaliveMs) {
                  body.writeKeepAlive();
                }
              });
      // a reset response calls neither its end nor its close handler: the pipe's failure then ends
      // the session
      response.closeHandler(v -> end(Ending.CLIENT_GONE, null));
      stream
          .pipe()
          .endOnFailure(false)
          .to(body)
          .onComplete(
              ar -> {
                if (ar.succeeded()) {
                  end(Ending.COMPLETED, null);
                } else if (response.closed()
                    || ar.cause() instanceof io.vertx.core.http.HttpClosedException
                    || ar.cause() instanceof java.io.IOException) {
                  end(Ending.CLIENT_GONE, ar.cause());
                } else if (body.writeQueueFull()
                    && ar.cause() instanceof ProblemException p
                    && p.problem().type().equals("reader-stalled")) {
                  // the producer gave up waiting for credit because this gateway granted none: its
                  // client read nothing, whichever side's clock noticed it first
                  end(Ending.STALLED, ar.cause());
                } else {
                  end(Ending.FAILED, ar.cause());
                }
              });
    }

    void end(Ending ending, Throwable cause) {
      if (ended) {
        return;
      }
      ended = true;
      open.remove(this);
      vertx.cancelTimer(timer);
      node.streams().delivered().remove(stream.address());
      limits.release(clientAddress);
      String path = ctx.request().path();
      String id = Edge.requestId(ctx);
      long quietMs = System.currentTimeMillis() - body.lastWrite;
      switch (ending) {
        case COMPLETED -> body.finish(stream.end());
        case CLIENT_GONE -> {
          // the connection closed under the stream: the client's doing, unless it read nothing for
          // as long as the
          // server's idle timeout, which closed it then
          long idleTimeoutMs = settings.http().idleTimeoutSeconds() * 1000L;
          String reason =
              idleTimeoutMs > 0 && quietMs >= idleTimeoutMs
                  ? "the connection was idle for http.idle_timeout_seconds ("
                      + settings.http().idleTimeoutSeconds()
                      + " s)"
                  : "the client closed the connection";
          LOG.info(
              "stream.client-gone path={} items={} reason=\"{}\" request_id={}",
              path,
              body.items,
              reason,
              id);
          stream.cancel("HTTP client gone: " + reason);
          StreamBody.abort(ctx.request());
        }
        case STALLED -> {
          String reason =
              "the client read nothing for " + quietMs + " ms (streaming.idle_timeout_seconds)";
          LOG.info(
              "stream.stalled path={} items={} reason=\"{}\" request_id={}",
              path,
              body.items,
              reason,
              id);
          stream.cancel("HTTP client stalled: " + reason);
          StreamBody.abort(ctx.request());
        }
        case FAILED -> {
          Problem problem = cause instanceof ProblemException p ? p.problem() : Problem.internal();
          stream.cancel("the HTTP stream failed: " + problem.detail());
          LOG.info(
              "stream.failed path={} items={} status={} detail=\"{}\" request_id={}",
              path,
              body.items,
              problem.status(),
              problem.detail(),
              id);
          body.fail(problem, id);
        }
      }
    }
  }
}
