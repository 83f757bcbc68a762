package dev.sluice.loader;

import dev.sluice.bus.Problem;
import dev.sluice.bus.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * Bounds the loads a loader runs at once ({@code max_concurrent_batches}); a few more wait in line, and past that a
 * request is refused at once with 503 rather than queued in memory. Used from one event-loop thread only.
 */
final class Limiter {

  private final int maxRunning;
  private final int maxWaiting;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int running;

  Limiter(int maxRunning, int maxWaiting) {
    this.maxRunning = Math.max(1, maxRunning);
    this.maxWaiting = Math.max(0, maxWaiting);
  }

  <T> Future<T> run(Supplier<Future<T>> task) {
    if (running < maxRunning) {
      return start(task);
    }
    if (waiting.size() >= maxWaiting) {
      return Future.failedFuture(new ProblemException(
        Problem.unavailable("Too many loads in progress; try again shortly", 1)));
    }
    Promise<T> promise = Promise.promise();
    waiting.add(() -> start(task).onComplete(promise));
    return promise.future();
  }

  private <T> Future<T> start(Supplier<Future<T>> task) {
    running++;
    Future<T> future;
    try {
      future = task.get();
    } catch (RuntimeException e) {
      future = Future.failedFuture(e);
    }
    return future.andThen(ar -> {
      running--;
      Runnable next = waiting.poll();
      if (next != null) {
        next.run();
      }
    });
  }

  int running() {
    return running;
  }
}
