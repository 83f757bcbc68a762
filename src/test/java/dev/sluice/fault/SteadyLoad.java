package dev.sluice.fault;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A steady load on the service: {@code users} clients, each sending its next request when the last
 * one was answered, round the given paths, until stopped. Every answer is recorded with when it was
 * asked and how long it took; a request not answered within {@link #HANG_MS} is recorded as a hang
 * (status -1).
 */
public final class SteadyLoad implements AutoCloseable {

  public static final long HANG_MS = 15_000;

  public record Answer(long startedAt, long millis, int status, String retryAfter, String body) {}

  private final WebClient http;
  private final List<String> paths;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger pending =
      new java.util.concurrent.atomic.AtomicInteger();

  public SteadyLoad(Vertx vertx, WebClient http, List<String> paths, int users) {
    this.http = http;
    this.paths = paths;
    for (int u = 0; u < users; u++) {
      int user = u;
      vertx.runOnContext(v -> next(user, 0));
    }
  }

  private void next(int user, int n) {
    if (!running.get()) {
      return;
    }
    String path = paths.get((user + n) % paths.size());
    long started = System.currentTimeMillis();
    pending.incrementAndGet();
    http.get(path)
        .timeout(HANG_MS)
        .send()
        .onComplete(
            ar -> {
              pending.decrementAndGet();
              long millis = System.currentTimeMillis() - started;
              if (ar.succeeded()) {
                answers.add(
                    new Answer(
                        started,
                        millis,
                        ar.result().statusCode(),
                        ar.result().getHeader("Retry-After"),
                        ar.result().statusCode() == 200 ? "" : ar.result().bodyAsString()));
              } else {
                answers.add(new Answer(started, millis, -1, null, ar.cause().toString()));
              }
              next(user, n + 1);
            });
  }

  /** The answers to requests asked from {@code from} (epoch millis) on. */
  public List<Answer> since(long from) {
    List<Answer> list = new ArrayList<>();
    for (Answer a : answers) {
      if (a.startedAt() >= from) {
        list.add(a);
      }
    }
    return list;
  }

  public List<Answer> all() {
    return new ArrayList<>(answers);
  }

  /** Stops sending and waits (at most the hang time) for the requests still out. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    long until = System.currentTimeMillis() + HANG_MS + 1_000;
    while (pending.get() > 0 && System.currentTimeMillis() < until) {
      Thread.sleep(10);
    }
  }
}
