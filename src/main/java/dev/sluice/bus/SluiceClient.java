package dev.sluice.bus;

import dev.sluice.api.Operation;
import dev.sluice.api.ProblemException;
import dev.sluice.config.SluiceConfig;
import dev.sluice.node.Membership;
import dev.sluice.stream.BusReadStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The typed way to ask the loaders for data over the event bus, from any verticle on any node. The
 * gateway uses it; so can any other verticle:
 *
 * <pre>{@code
 * SluiceClient client = SluiceClient.create(vertx, 30_000);
 * client.fetch(Operation.VIDEOS, new JsonObject().put("status", "ready").put("limit", 100))
 *   .onSuccess(page -> page.getJsonArray("data").forEach(...));
 * client.item(Operation.VIDEO, id).onSuccess(video -> ...);   // coalesced with the other items asked meanwhile
 * }</pre>
 *
 * A failed future carries a {@link ProblemException} whose problem says what went wrong (400 with
 * the parameter, 404, 503, 504).
 */
public interface SluiceClient {

  /**
   * A client that waits {@code timeoutMs} for a loader's answer; {@link #processBatches} opens its
   * streams with the configuration's defaults.
   */
  static SluiceClient create(Vertx vertx, long timeoutMs) {
    return create(vertx, timeoutMs, Membership.NONE);
  }

  /**
   * As {@link #create(Vertx, long)}, on a node of a cluster: requests in flight to a member that
   * leaves are sent again, and streams from it are probed ({@code Node#membership}).
   */
  static SluiceClient create(Vertx vertx, long timeoutMs, Membership membership) {
    return new SluiceClientImpl(
        vertx, membership, timeoutMs, null, SluiceClientImpl.StreamSettings.defaults());
  }

  /**
   * A client configured as the node is: it waits as long as the gateway does ({@code
   * timeout_seconds} + 2 s), and {@link #processBatches} opens its streams with the gateway's
   * window ({@code buffer_size / batch_size}), threshold and idle timeout, and reads up to {@code
   * lazy_loading.max_concurrent_batches} ranges at once when not told.
   */
  static SluiceClient create(Vertx vertx, SluiceConfig settings) {
    return create(vertx, settings, Membership.NONE);
  }

  /**
   * As {@link #create(Vertx, SluiceConfig)}, on a node of a cluster ({@link #create(Vertx, long,
   * Membership)}).
   */
  static SluiceClient create(Vertx vertx, SluiceConfig settings, Membership membership) {
    return new SluiceClientImpl(
        vertx,
        membership,
        settings.lazy().timeoutSeconds() * 1000L + 2_000,
        null,
        SluiceClientImpl.StreamSettings.of(settings.lazy(), settings.streaming()));
  }

  /** The reply as the loader encoded it: envelope bytes (maybe gzip'd), ETag and cursors. */
  Future<LoaderReply> request(Operation operation, JsonObject params);

  /**
   * As {@link #request(Operation, JsonObject)}, saying that the caller looked the reply up in the
   * node cache already (the gateway does), so the loader counts no second lookup.
   */
  Future<LoaderReply> requestAfterLookup(Operation operation, JsonObject params);

  /**
   * Tells the loader that a prefetched reply of this request was just used, so it loads further
   * ahead.
   */
  void prefetched(Operation operation, JsonObject params);

  /**
   * Opens a stream: completes with a {@link BusReadStream} of NDJSON batches once the loader
   * accepted the request, or fails with its problem (400 for bad parameters) before any data. Pipe
   * it anywhere: a slow reader slows the database cursor on the loader's node.
   *
   * @param window batches in flight at most (credit)
   */
  default Future<BusReadStream> stream(
      Operation operation, JsonObject params, int window, double threshold, long idleTimeoutMs) {
    return BusReadStream.open(
        vertx(),
        membership(),
        operation,
        params,
        BusReadStream.Options.of(window, threshold, idleTimeoutMs)
            .withOpenTimeoutMs(sendTimeoutMs())
            .withRequestId(requestId()));
  }

  /**
   * Processes every item of a stream operation's listing ({@link Operation#VIDEO_STREAM}, …, with
   * its filters in {@code params}) as up to {@code maxConcurrentBatches} concurrent keyset ranges.
   * The loader cuts the listing where PostgreSQL's statistics of the sort column, or a small sample
   * of the table, say the ranges are about equal (never by {@code OFFSET}); each range is a stream
   * of its own, backpressured by the handler: a range's next batch is handed over only once the
   * future returned for its previous one completed. Every item is handed over exactly once, also
   * while the listing is written to: the loader exports a snapshot when it cuts the listing and
   * every range reads the listing as that snapshot shows it (a range that opens after the snapshot
   * is released, {@code timeout_seconds} + 2 s after the cut, fails with a 400 naming {@code
   * snapshot}). {@link RangeBatch#range()} and {@link RangeBatch#seq()} say where a batch stands,
   * so that a caller that needs the listing's order can restore it ({@link RangeBatch#ORDER}).
   *
   * <p>Completes once every range has ended and every batch was handled. Fails with the first
   * failure, a {@link ProblemException} from the loader (400 for bad parameters, 503, 504) or the
   * handler's own, and then cancels every range still open. A listing that ranges would not speed
   * up (a search, computed whole per stream) or too small to cut is processed as one range.
   */
  Future<Processed> processBatches(
      Operation streamOperation, JsonObject params, int maxConcurrentBatches, BatchHandler handler);

  /**
   * As {@link #processBatches(Operation, JsonObject, int, BatchHandler)}, {@link
   * #maxConcurrentBatches()} at once.
   */
  default Future<Processed> processBatches(
      Operation streamOperation, JsonObject params, BatchHandler handler) {
    return processBatches(streamOperation, params, maxConcurrentBatches(), handler);
  }

  /**
   * How many ranges {@link #processBatches} reads at once when not told ({@code
   * lazy_loading.max_concurrent_batches}).
   */
  int maxConcurrentBatches();

  Vertx vertx();

  /**
   * Who leaves the cluster, as this client hears of it; {@link Membership#NONE} for a client of a
   * lone node.
   */
  Membership membership();

  /**
   * This client, naming every request it sends with {@code requestId} (the HTTP request's {@code
   * X-Request-Id}), so that the loaders' log lines about it name it too.
   */
  SluiceClient withRequestId(String requestId);

  /** The request id this client names its requests with, or null. */
  String requestId();

  /** How long this client waits for a loader's answer (a reply, or a stream's acceptance). */
  long sendTimeoutMs();

  /** The reply decoded into the envelope of docs/API.md section 2. */
  default Future<JsonObject> fetch(Operation operation, JsonObject params) {
    return request(operation, params).map(LoaderReply::json);
  }

  /**
   * One item ({@link Operation#VIDEO}, {@link Operation#USER} or {@link Operation#TEMPLATE}), or a
   * 404 problem. Items of one family asked for at about the same time, by any number of callers,
   * are loaded by one query.
   */
  default Future<JsonObject> item(Operation operation, UUID id) {
    return fetch(operation, new JsonObject().put(idParameter(operation), id.toString()))
        .map(envelope -> envelope.getJsonArray("data").getJsonObject(0));
  }

  /**
   * Items by id from a listing ({@link Operation#VIDEOS}, {@link Operation#USERS}, {@link
   * Operation#TEMPLATES}), in the order asked, null for an id that does not exist; at most 100 ids.
   */
  default Future<List<JsonObject>> items(Operation listing, List<UUID> ids) {
    String joined = ids.stream().map(UUID::toString).collect(Collectors.joining(","));
    return fetch(listing, new JsonObject().put("ids", joined))
        .map(
            envelope -> {
              List<JsonObject> items = new java.util.ArrayList<>(ids.size());
              envelope.getJsonArray("data").forEach(item -> items.add((JsonObject) item));
              return items;
            });
  }

  /** The path parameter that names the item of a single-item operation. */
  static String idParameter(Operation operation) {
    if (operation.equals(Operation.VIDEO)) {
      return "videoId";
    } else if (operation.equals(Operation.USER)) {
      return "userId";
    } else if (operation.equals(Operation.TEMPLATE)) {
      return "templateId";
    }
    throw new IllegalArgumentException(operation + " is not a single-item operation");
  }
}
