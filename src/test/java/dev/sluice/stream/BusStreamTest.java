package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Service;
import dev.sluice.api.Addresses;
import dev.sluice.api.Operation;
import dev.sluice.api.Problem;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The credit protocol's two ends on one event bus, with no database: what each end concludes about
 * the other.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The bus stream's ends judge each other fairly")
class BusStreamTest {

  static final long IDLE_MS = 1_000;
  static final BusReadStream.Options OPTIONS = BusReadStream.Options.of(4, 0.8, IDLE_MS);

  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().timeout(30, TimeUnit.SECONDS).await();
  }

  /**
   * A producer at the videos family's stream-open address that sends {@code items} one-line items,
   * one a batch, then its end.
   */
  private void producer(int items) {
    producer(
        out -> {
          for (int i = 1; i <= items; i++) {
            out.write(i);
          }
          out.end();
        });
  }

  /** A producer at the videos family's stream-open address that accepts, then does {@code then}. */
  private void producer(java.util.function.Consumer<BusWriteStream<Integer>> then) {
    BusWriteStream.ItemEncoder<Integer> encoder =
        new BusWriteStream.ItemEncoder<>() {
          @Override
          public void write(Integer item, Buffer out) {
            out.appendString(new JsonObject().put("id", item).encode());
          }

          @Override
          public List<String> key(Integer item) {
            return List.of(item.toString());
          }
        };
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.streamOpenOf(Operation.VIDEO_STREAM.address()),
            message -> {
              OpenRequest open = OpenRequest.of(message);
              BusWriteStream.open(
                      vertx,
                      dev.sluice.node.Membership.NONE,
                      open,
                      new BusWriteStream.Options<>(
                          1, IDLE_MS, encoder, key -> "after-" + key.get(0)))
                  .onSuccess(
                      out -> {
                        open.accept();
                        then.accept(out);
                      });
            });
  }

  @Test
  @DisplayName(
      "a stream that failed before any handler was set hands its failure to the exception handler set after it")
  void failureBeforeItsHandler() throws Exception {
    producer(out -> out.fail(Problem.unavailable("The database went away", 1)));
    BusReadStream stream =
        BusReadStream.open(vertx, Operation.VIDEO_STREAM, new JsonObject(), OPTIONS)
            .timeout(10, TimeUnit.SECONDS)
            .await();
    Thread.sleep(200); // the failure is in by now, with nothing to hand it to
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    vertx.runOnContext(v -> stream.exceptionHandler(failures::add));
    assertTrue(
        Service.eventually(5_000, () -> !failures.isEmpty()), "the failure reached the handler");
    assertEquals(1, failures.size(), "once");
    assertEquals(
        503,
        ((dev.sluice.api.ProblemException) failures.get(0)).problem().status(),
        failures::toString);
  }

  @Test
  @DisplayName(
      "a producer that sent everything and its end is not 'silent' while its reader holds back: the reader "
          + "gets every batch and the end when it reads on, long after the idle timeout")
  void finishedProducerIsNotSilent() throws Exception {
    producer(3);
    BusReadStream stream =
        BusReadStream.open(vertx, Operation.VIDEO_STREAM, new JsonObject(), OPTIONS)
            .timeout(10, TimeUnit.SECONDS)
            .await();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<StreamBatch> batches = new CopyOnWriteArrayList<>();
    List<Boolean> ended = new CopyOnWriteArrayList<>();
    vertx.runOnContext(
        v ->
            stream
                .pause()
                .exceptionHandler(failures::add)
                .endHandler(e -> ended.add(true))
                .handler(batches::add));
    // the reader holds back one and a half idle timeouts; the producer ended long before
    Thread.sleep(IDLE_MS * 3 / 2);
    assertTrue(failures.isEmpty(), () -> "the reader failed the stream: " + failures);
    assertTrue(batches.isEmpty());
    vertx.runOnContext(v -> stream.resume());
    Service.eventually(5_000, () -> !ended.isEmpty());
    assertEquals(3, batches.size());
    assertEquals(List.of(true), ended);
    assertEquals(new BusReadStream.End(3, "after-3"), stream.end());
  }

  @Test
  @DisplayName(
      "a short stream read whole by its handler before its end handler is set still calls the end handler")
  void endHandlerSetAfterTheEnd() throws Exception {
    producer(3);
    BusReadStream stream =
        BusReadStream.open(vertx, Operation.VIDEO_STREAM, new JsonObject(), OPTIONS)
            .timeout(10, TimeUnit.SECONDS)
            .await();
    Thread.sleep(200); // every batch and the end are waiting in the stream by now
    List<StreamBatch> batches = new CopyOnWriteArrayList<>();
    List<Boolean> ended = new CopyOnWriteArrayList<>();
    vertx.runOnContext(v -> stream.handler(batches::add).endHandler(e -> ended.add(true)));
    Service.eventually(5_000, () -> !ended.isEmpty());
    assertEquals(3, batches.size());
    assertEquals(List.of(true), ended, "the end, once");
  }

  @Test
  @DisplayName(
      "an empty stream whose end came before any handler was set still calls the end handler set after it "
          + "(how ParallelBatchesTest.untilBounds once waited 120 s for the end of 'until before after: nothing')")
  void emptyStreamEndedBeforeItsHandlers() throws Exception {
    producer(0);
    BusReadStream stream =
        BusReadStream.open(vertx, Operation.VIDEO_STREAM, new JsonObject(), OPTIONS)
            .timeout(10, TimeUnit.SECONDS)
            .await();
    Thread.sleep(200); // the end is in the stream by now, and nothing to hand it to
    List<StreamBatch> batches = new CopyOnWriteArrayList<>();
    List<Boolean> ended = new CopyOnWriteArrayList<>();
    vertx.runOnContext(v -> stream.handler(batches::add).endHandler(e -> ended.add(true)));
    assertTrue(Service.eventually(5_000, () -> !ended.isEmpty()), "the end handler was called");
    assertEquals(List.of(), batches);
    assertEquals(List.of(true), ended, "the end, once");
    assertEquals(0, stream.end().count());
  }

  @Test
  @DisplayName(
      "a reader that takes nothing of an ended stream for twice the idle timeout is released, saying so")
  void idleReaderOfAnEndedStreamIsReleased() throws Exception {
    producer(3);
    BusReadStream stream =
        BusReadStream.open(vertx, Operation.VIDEO_STREAM, new JsonObject(), OPTIONS)
            .timeout(10, TimeUnit.SECONDS)
            .await();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    long opened = System.currentTimeMillis();
    vertx.runOnContext(v -> stream.pause().exceptionHandler(failures::add).handler(batch -> {}));
    Service.eventually(10_000, () -> !failures.isEmpty());
    assertEquals(1, failures.size());
    assertTrue(failures.get(0).getMessage().contains("took nothing"), failures.get(0)::toString);
    assertTrue(
        System.currentTimeMillis() - opened >= 2 * IDLE_MS, "not before twice the idle timeout");
  }

  @Test
  @DisplayName(
      "a producer that went quiet with credit left is silent: the reader fails the stream after the idle "
          + "timeout (the check that can fail)")
  void quietProducerIsSilent() throws Exception {
    // it accepts the stream and never sends, nor heartbeats: no BusWriteStream behind it
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.streamOpenOf(Operation.VIDEO_STREAM.address()),
            open -> open.reply(new JsonObject()));
    BusReadStream stream =
        BusReadStream.open(vertx, Operation.VIDEO_STREAM, new JsonObject(), OPTIONS)
            .timeout(10, TimeUnit.SECONDS)
            .await();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    vertx.runOnContext(v -> stream.exceptionHandler(failures::add).handler(batch -> {}));
    Service.eventually(5_000, () -> !failures.isEmpty());
    assertEquals(1, failures.size());
    assertTrue(failures.get(0).getMessage().contains("silent"), failures.get(0)::toString);
  }
}
