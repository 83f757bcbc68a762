package dev.sluice.stream;

import dev.sluice.Waits;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test's streaming HTTP client: reads a chunked body line by line as it arrives, can stop reading
 * (pause) and read again, and tells whether the body ended cleanly or was cut.
 */
public final class StreamClient {

  final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  final Promise<Void> ended = Promise.promise();
  HttpClientResponse response;
  private final HttpClient client;

  private StreamClient(HttpClient client) {
    this.client = client;
  }

  /**
   * Opens {@code path}; {@code pauseWhen} sees each line and pauses the response when it says so.
   */
  public static StreamClient open(
      Vertx vertx,
      int port,
      String path,
      String accept,
      String lastEventId,
      Predicate<String> pauseWhen) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions());
    StreamClient stream = new StreamClient(client);
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(path);
    if (accept != null) {
      options.putHeader("Accept", accept);
    }
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    // handlers are attached on the event loop as the response arrives, before any of its body can:
    // the mapping is
    // chained to send() inside the callback that sends, on the connection's event loop. (Chained
    // from this thread, a
    // response that arrives before the chain is complete would have its first chunks dropped:
    // Vert.x drops body
    // chunks that come before a handler.)
    stream.response =
        Waits.request(
            client
                .request(options)
                .compose(
                    request ->
                        request
                            .send()
                            .map(
                                response -> {
                                  RecordParser parser =
                                      RecordParser.newDelimited(
                                          "\n",
                                          line -> {
                                            String text = line.toString();
                                            stream.lines.add(text);
                                            if (pauseWhen != null && pauseWhen.test(text)) {
                                              response.pause();
                                            }
                                          });
                                  response.handler(parser);
                                  response.exceptionHandler(
                                      err -> {
                                        stream.ended.tryFail(err);
                                      });
                                  response.endHandler(v -> stream.ended.tryComplete());
                                  // a connection closed before the end (the server cut the body)
                                  // fails the stream even while paused
                                  response
                                      .request()
                                      .connection()
                                      .closeHandler(
                                          v -> {
                                            stream.ended.tryFail(
                                                new IllegalStateException(
                                                    "connection closed before the end of the body"));
                                          });
                                  return response;
                                })));
    return stream;
  }

  /** Waits until at least {@code count} lines have arrived. */
  void awaitLines(int count, long seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000;
    while (lines.size() < count) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(
            "only " + lines.size() + " lines in " + seconds + " s (status " + status() + ")");
      }
      Thread.sleep(5);
    }
  }

  public int status() {
    return response.statusCode();
  }

  /** Waits for the body to end; true when it ended cleanly, false when it was cut. */
  public boolean awaitEnd(long seconds) throws Exception {
    try {
      ended.future().toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException e) {
      return false;
    }
  }

  void resume() {
    response.resume();
  }

  public void close() {
    Waits.lifecycle(client.close());
  }
}
