package dev.sluice.bus;

import dev.sluice.api.Addresses;
import dev.sluice.api.Failures;
import dev.sluice.api.Operation;
import dev.sluice.config.LazyLoadingConfig;
import dev.sluice.config.StreamingConfig;
import dev.sluice.node.Membership;
import dev.sluice.stream.BusReadStream;
import dev.sluice.stream.StreamProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

final class SluiceClientImpl implements SluiceClient {

  private final Vertx vertx;
  private final Membership membership;
  private final long timeoutMs;
  private final String requestId;
  private final StreamSettings streams;

  /** What the client's own streams (those of {@link #processBatches}) are opened with. */
  record StreamSettings(
      int window, double threshold, long idleTimeoutMs, int maxConcurrentBatches) {

    /**
     * From the configuration's {@code lazy_loading} and {@code streaming} sections, as the gateway
     * reads them.
     */
    static StreamSettings of(LazyLoadingConfig lazy, StreamingConfig streaming) {
      return new StreamSettings(
          lazy.creditWindow(),
          lazy.backpressureThreshold(),
          streaming.idleTimeoutSeconds() * 1000L,
          lazy.maxConcurrentBatches());
    }

    static StreamSettings defaults() {
      return of(LazyLoadingConfig.from(new JsonObject()), StreamingConfig.from(new JsonObject()));
    }
  }

  SluiceClientImpl(
      Vertx vertx,
      Membership membership,
      long timeoutMs,
      String requestId,
      StreamSettings streams) {
    this.vertx = vertx;
    this.membership = membership;
    this.timeoutMs = timeoutMs;
    this.requestId = requestId;
    this.streams = streams;
  }

  @Override
  public SluiceClient withRequestId(String requestId) {
    return new SluiceClientImpl(vertx, membership, timeoutMs, requestId, streams);
  }

  @Override
  public int maxConcurrentBatches() {
    return streams.maxConcurrentBatches();
  }

  @Override
  public Future<Processed> processBatches(
      Operation streamOperation,
      JsonObject params,
      int maxConcurrentBatches,
      BatchHandler handler) {
    if (!streamOperation.streaming()) {
      return Future.failedFuture(
          new IllegalArgumentException(streamOperation + " is not a stream operation"));
    }
    if (maxConcurrentBatches < 1 || maxConcurrentBatches > StreamProtocol.MAX_SPLITS) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "maxConcurrentBatches must be between 1 and "
                  + StreamProtocol.MAX_SPLITS
                  + ", not "
                  + maxConcurrentBatches));
    }
    return new ParallelBatches(this, streamOperation, params, maxConcurrentBatches, handler).run();
  }

  /**
   * How this client reads the ranges of {@link #processBatches}: as the gateway reads its streams.
   */
  BusReadStream.Options rangeOptions() {
    return BusReadStream.Options.of(streams.window(), streams.threshold(), streams.idleTimeoutMs())
        .withOpenTimeoutMs(timeoutMs)
        .withRequestId(requestId);
  }

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public long sendTimeoutMs() {
    return timeoutMs;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Membership membership() {
    return membership;
  }

  @Override
  public Future<LoaderReply> request(Operation operation, JsonObject params) {
    return send(operation, params, options(operation));
  }

  @Override
  public Future<LoaderReply> requestAfterLookup(Operation operation, JsonObject params) {
    return send(
        operation, params, options(operation).addHeader(Addresses.LOOKED_UP_HEADER, "true"));
  }

  @Override
  public void prefetched(Operation operation, JsonObject params) {
    vertx.eventBus().send(Addresses.prefetchOf(operation.address()), params, options(operation));
  }

  private DeliveryOptions options(Operation operation) {
    DeliveryOptions options =
        new DeliveryOptions()
            .setSendTimeout(timeoutMs)
            .addHeader(Addresses.ACTION_HEADER, operation.action());
    if (requestId != null) {
      options.addHeader(Addresses.REQUEST_ID_HEADER, requestId);
    }
    return options;
  }

  private Future<LoaderReply> send(
      Operation operation, JsonObject params, DeliveryOptions options) {
    return Delivery.<Buffer>request(vertx, membership, operation.address(), params, options)
        .transform(
            ar ->
                ar.succeeded()
                    ? Future.succeededFuture(toReply(ar.result()))
                    : Future.failedFuture(Failures.problemOf(ar.cause())));
  }

  /**
   * The reply a loader sent: its body and the headers {@code LoaderVerticle} writes
   * (docs/EVENT_BUS.md).
   */
  private static LoaderReply toReply(Message<Buffer> message) {
    var headers = message.headers();
    String items = headers.get(Addresses.ITEMS_HEADER);
    return new LoaderReply(
        message.body(),
        "gzip".equals(headers.get(Addresses.ENCODING_HEADER)),
        headers.get(Addresses.ETAG_HEADER),
        headers.get(Addresses.NEXT_CURSOR_HEADER),
        headers.get(Addresses.PREV_CURSOR_HEADER),
        items == null ? 0 : Integer.parseInt(items),
        "true".equals(headers.get(Addresses.HAS_MORE_HEADER)),
        null,
        Long.MAX_VALUE,
        "true".equals(headers.get(Addresses.PREFETCHED_HEADER)));
  }
}
