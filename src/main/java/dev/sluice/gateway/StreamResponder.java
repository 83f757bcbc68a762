package dev.sluice.gateway;

import dev.sluice.bus.Operation;
import dev.sluice.problem.Problem;
import dev.sluice.problem.ProblemException;
import dev.sluice.bus.SluiceClient;
import dev.sluice.bus.stream.BusReadStream;
import dev.sluice.bus.stream.StreamProtocol;
import dev.sluice.config.SluiceConfig;
import dev.sluice.monitor.MemoryLevel;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves the streaming endpoints: picks the format from {@code Accept} (406 for one it does not speak), takes a
 * place within the stream limits (429 past them), opens the bus stream (a 400 for bad parameters still comes as a
 * problem, before any byte of body), then pipes batches into the chunked response. A client that goes away cancels
 * the producer at once; one that stops reading is cut after the idle timeout; a failure mid-stream truncates NDJSON
 * and ends SSE with an {@code error} event.
 */
final class StreamResponder {

  private static final Logger LOG = LoggerFactory.getLogger(StreamResponder.class);

  private final Vertx vertx;
  private final SluiceClient client;
  private final SluiceConfig settings;
  private final StreamLimits limits;

  StreamResponder(Vertx vertx, SluiceClient client, SluiceConfig settings, StreamLimits limits) {
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
    this.limits = limits;
  }

  Handler<RoutingContext> handler(Operation operation) {
    return ctx -> serve(ctx, operation);
  }

  private void serve(RoutingContext ctx, Operation operation) {
    String format = negotiate(ctx.request().getHeader("Accept"));
    if (format == null) {
      Problems.send(ctx, Problem.notAcceptable("This stream speaks " + StreamBody.NDJSON + " and " + StreamBody.SSE));
      return;
    }
    if (MemoryLevel.current(vertx) == MemoryLevel.CRITICAL) {
      Problems.send(ctx, Problem.unavailable("Memory is short; new streams are refused until it is not", 5));
      return;
    }
    String checkpoints = ctx.request().getParam("checkpoints");
    if (checkpoints != null && !checkpoints.equals("true") && !checkpoints.equals("false")) {
      Problems.send(ctx, Problem.invalidParameters(java.util.List.of(
        new Problem.ParameterError("checkpoints", "must be true or false"))));
      return;
    }
    String clientAddress = ctx.request().remoteAddress().host();
    if (!limits.tryAcquire(clientAddress)) {
      Problems.send(ctx, Problem.tooManyStreams());
      return;
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        limits.release(clientAddress);
      }
    };
    JsonObject params = HttpGatewayVerticle.params(ctx);
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (lastEventId != null && !lastEventId.isEmpty()) {
      params.put("after", lastEventId);
    }
    long idleMs = settings.streaming().idleTimeoutSeconds() * 1000L;
    int window = Math.max(2, settings.lazy().bufferSize() / Math.max(1, settings.lazy().batchSize()));
    client.stream(operation, params, window, settings.lazy().backpressureThreshold(), idleMs)
      .onFailure(err -> {
        release.run();
        Problems.send(ctx, err);
      })
      .onSuccess(stream -> pipe(ctx, stream, format, "true".equals(checkpoints), idleMs, release));
  }

  private void pipe(RoutingContext ctx, BusReadStream stream, String format, boolean checkpoints, long idleMs,
                    Runnable release) {
    HttpServerResponse response = ctx.response()
      .setChunked(true)
      .putHeader("Content-Type", format)
      .putHeader("Cache-Control", "no-cache")
      .putHeader("Vary", "Accept-Encoding")
      .putHeader("X-Accel-Buffering", "no");
    StreamBody body = StreamBody.SSE.equals(format) ? StreamBody.sse(ctx.request())
      : StreamBody.ndjson(ctx.request(), checkpoints ? settings.streaming().checkpointEvery() : 0);
    response.writeHead(); // the client knows at once that its stream was accepted, before the first batch
    AtomicBoolean finished = new AtomicBoolean();
    LocalMap<String, Long> delivered = vertx.sharedData().getLocalMap(StreamProtocol.DELIVERED_MAP);
    body.progressHandler(items -> delivered.put(stream.address(), items));
    long[] timer = {-1};
    // every way a stream ends comes here; a reset response calls neither its end nor its close handler
    Runnable done = () -> {
      vertx.cancelTimer(timer[0]);
      delivered.remove(stream.address());
      release.run();
    };
    timer[0] = vertx.setPeriodic(Math.max(50, idleMs / 4), id -> {
      if (body.writeQueueFull() && System.currentTimeMillis() - body.lastWrite > idleMs
        && finished.compareAndSet(false, true)) {
        LOG.info("stream.stalled path={} items={}", ctx.request().path(), body.items);
        stream.cancel();
        StreamBody.abort(ctx.request());
        done.run();
      }
    });
    response.closeHandler(v -> {
      if (finished.compareAndSet(false, true)) {
        stream.cancel();
      }
      done.run();
    });
    response.endHandler(v -> done.run());
    stream.pipe().endOnFailure(false).to(body).onComplete(ar -> {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      if (ar.succeeded()) {
        body.finish(stream.end()).onComplete(v -> done.run());
      } else if (response.closed() || ar.cause() instanceof io.vertx.core.http.HttpClosedException
        || ar.cause() instanceof java.io.IOException) {
        LOG.info("stream.client-gone path={} items={}", ctx.request().path(), body.items);
        stream.cancel();
        StreamBody.abort(ctx.request());
        done.run();
      } else {
        stream.cancel();
        Problem problem = ar.cause() instanceof ProblemException p ? p.problem() : Problem.internal();
        LOG.info("stream.failed path={} items={} status={} detail={} cause={}", ctx.request().path(), body.items,
          problem.status(), problem.detail(), ar.cause().toString());
        body.fail(problem);
        done.run();
      }
    });
  }

  /** The format an {@code Accept} header asks for: NDJSON by default, SSE when asked, null for anything else. */
  static String negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return StreamBody.NDJSON;
    }
    for (String part : accept.split(",")) {
      String type = part.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
      switch (type) {
        case StreamBody.SSE:
          return StreamBody.SSE;
        case StreamBody.NDJSON:
        case "*/*":
        case "application/*":
          return StreamBody.NDJSON;
        default:
          break;
      }
    }
    return null;
  }
}
