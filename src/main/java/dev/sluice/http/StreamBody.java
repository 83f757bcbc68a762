package dev.sluice.http;

import dev.sluice.api.Problem;
import dev.sluice.stream.BusReadStream;
import dev.sluice.stream.StreamBatch;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;

/**
 * A streaming HTTP body in one of the formats of docs/API.md section 3: a {@link WriteStream} of
 * batches over the response, so a pipe from the bus stream pauses while the client's socket is
 * full.
 */
abstract class StreamBody implements WriteStream<StreamBatch> {

  static final String NDJSON = "application/x-ndjson";
  static final String SSE = "text/event-stream";
  static final String CSV = "text/csv";

  private static final Buffer NEWLINE = Buffer.buffer("\n");
  private static final Buffer SSE_KEEPALIVE = Buffer.buffer(": keep-alive\n\n");

  final HttpServerRequest request;
  final HttpServerResponse response;
  long items;

  /**
   * When a batch was last written: a body that stays full past the idle timeout belongs to a
   * stalled client.
   */
  long lastWrite = System.currentTimeMillis();

  private Handler<Long> progressHandler;

  StreamBody(HttpServerRequest request) {
    this.request = request;
    this.response = request.response();
  }

  abstract String contentType();

  /** Called with the items written so far after each batch. */
  void progressHandler(Handler<Long> handler) {
    this.progressHandler = handler;
  }

  /** The bytes of one batch. */
  abstract Buffer encode(StreamBatch batch);

  /** Ends the body after the last batch. */
  abstract Future<Void> finish(BusReadStream.End end);

  /** Ends the body after a failure: never like a complete body. */
  abstract void fail(Problem problem, String requestId);

  /** What the body says when it has had nothing to say for a while: bytes that hold no item. */
  abstract Buffer keepAlive();

  /**
   * Writes a keep-alive: a stream that waits (a following one with nothing new) still moves bytes,
   * so no idle timeout on the way (this server's, a proxy's, the client's) takes it for a dead
   * connection.
   */
  void writeKeepAlive() {
    lastWrite = System.currentTimeMillis();
    response.write(keepAlive());
  }

  /** The resume position after the last batch written, null before the first. */
  String position;

  /**
   * NDJSON: the producer's lines as they are, and with checkpoints a resume line every {@code
   * every} items.
   */
  static StreamBody ndjson(HttpServerRequest request, int checkpointEvery) {
    return new StreamBody(request) {
      @Override
      String contentType() {
        return NDJSON;
      }

      @Override
      Buffer encode(StreamBatch batch) {
        long before = items;
        items += batch.count();
        if (checkpointEvery <= 0 || before / checkpointEvery == items / checkpointEvery) {
          return batch.lines();
        }
        // at the end of the batch that crosses a multiple of checkpointEvery: where to resume from
        // here
        return batch
            .lines()
            .copy()
            .appendString(
                new JsonObject().put("_checkpoint", batch.position()).put("count", items).encode())
            .appendByte((byte) '\n');
      }

      @Override
      Future<Void> finish(BusReadStream.End end) {
        return response.end();
      }

      @Override
      Buffer keepAlive() {
        return NEWLINE
            .copy(); // an empty line: white space between JSON texts, which NDJSON readers skip
      }

      @Override
      void fail(Problem problem, String requestId) {
        // NDJSON has no trailer: close without the final chunk, so the client sees a truncated body
        abort(request);
      }
    };
  }

  /**
   * CSV (docs/API.md 8.2): the header record of {@code columns}, then a record a row; a failure
   * ends the body truncated, as NDJSON's.
   */
  static StreamBody csv(HttpServerRequest request, CsvRows.Layout columns) {
    return new StreamBody(request) {
      private boolean headed;

      @Override
      String contentType() {
        return CSV;
      }

      @Override
      Buffer encode(StreamBatch batch) {
        items += batch.count();
        Buffer records = CsvRows.records(batch.lines(), columns.json());
        return headed ? records : head().appendBuffer(records);
      }

      private Buffer head() {
        headed = true;
        return CsvRows.header(columns.names());
      }

      @Override
      Future<Void> finish(BusReadStream.End end) {
        return headed ? response.end() : response.end(head());
      }

      @Override
      Buffer keepAlive() {
        // nothing a CSV reader would take for a record: the header, once, or nothing at all
        return headed ? Buffer.buffer() : head();
      }

      @Override
      void fail(Problem problem, String requestId) {
        abort(request);
      }
    };
  }

  /**
   * Server-Sent Events: one {@code item} event per line, the batch's resume position as the id of
   * its last.
   */
  static StreamBody sse(HttpServerRequest request) {
    return new StreamBody(request) {
      private static final byte[] ITEM =
          "event: item\ndata: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

      @Override
      String contentType() {
        return SSE;
      }

      @Override
      Buffer encode(StreamBatch batch) {
        Buffer lines = batch.lines();
        Buffer out = Buffer.buffer(lines.length() + batch.count() * 24 + 128);
        int start = 0;
        int length = lines.length();
        for (int i = 0; i < length; i++) {
          if (lines.getByte(i) == '\n') {
            if (i + 1 == length) {
              out.appendString("id: ").appendString(batch.position()).appendByte((byte) '\n');
            }
            out.appendBytes(ITEM).appendBuffer(lines, start, i - start).appendString("\n\n");
            start = i + 1;
          }
        }
        items += batch.count();
        return out;
      }

      @Override
      Buffer keepAlive() {
        return SSE_KEEPALIVE.copy(); // a comment line, which EventSource ignores (HTML, 9.2.6)
      }

      @Override
      Future<Void> finish(BusReadStream.End end) {
        JsonObject data = new JsonObject().put("count", end.count()).put("cursor", end.position());
        return response.end("event: end\ndata: " + data.encode() + "\n\n");
      }

      @Override
      void fail(Problem problem, String requestId) {
        // where to resume: the id of the last item sent, also in the event for clients that do not
        // keep ids
        JsonObject data = problem.toJson().put("request_id", requestId).put("cursor", position);
        response.end("event: error\ndata: " + data.encode() + "\n\n");
      }
    };
  }

  /**
   * Closes the connection under a response at once. Vert.x 5.0.7 has no public way to: {@code
   * reset()} on HTTP/1.x, {@code close()} and even {@code shutdown(0)} all write an empty buffer
   * and close once it is flushed, after what is queued, which a client that stopped reading never
   * lets happen (VertxConnection#writeClose); a close of the Netty channel goes the same way, since
   * Vert.x's handler in the pipeline turns it into that close (VertxHandler#close). So this closes
   * the channel below the pipeline, discarding what is queued (on the connection's event loop,
   * where this runs).
   */
  static void abort(HttpServerRequest request) {
    if (request.response().closed()) {
      return;
    }
    if (request.connection() instanceof io.vertx.core.net.impl.ConnectionBase connection) {
      io.netty.channel.Channel channel = connection.channel();
      channel.unsafe().close(channel.voidPromise());
    } else {
      request.connection().close();
    }
  }

  @Override
  public Future<Void> write(StreamBatch batch) {
    lastWrite = System.currentTimeMillis();
    Future<Void> written = response.write(encode(batch));
    position = batch.position();
    if (progressHandler != null) {
      progressHandler.handle(items);
    }
    return written;
  }

  @Override
  public Future<Void> end() {
    return Future
        .succeededFuture(); // the responder ends the body with finish(), knowing the stream's end
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public WriteStream<StreamBatch> drainHandler(Handler<Void> handler) {
    response.drainHandler(handler);
    return this;
  }

  @Override
  public WriteStream<StreamBatch> exceptionHandler(Handler<Throwable> handler) {
    response.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<StreamBatch> setWriteQueueMaxSize(int maxSize) {
    response.setWriteQueueMaxSize(maxSize);
    return this;
  }
}
