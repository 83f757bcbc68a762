package dev.sluice.load;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * Bounds the loads a loader runs at once ({@code max_concurrent_batches}); a few more wait in line,
 * and past that a request is refused at once with 503 rather than queued in memory. A load that
 * waited longer than its requester waits for the reply ({@code maxWaitMillis}) is dropped
 * unstarted: nobody would read its result. Used from one event-loop thread only.
 */
final class Limiter {

  private final int maxRunning;
  private final int maxWaiting;
  private final long maxWaitMillis;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int running;
  private boolean closed;

  Limiter(int maxRunning, int maxWaiting, long maxWaitMillis) {
    this.maxRunning = Math.max(1, maxRunning);
    this.maxWaiting = Math.max(0, maxWaiting);
    this.maxWaitMillis = maxWaitMillis;
  }

  <T> Future<T> run(Supplier<Future<T>> task) {
    if (running < maxRunning) {
      return start(task);
    }
    if (waiting.size() >= maxWaiting) {
      return Future.failedFuture(
          new ProblemException(
              Problem.unavailable("Too many loads in progress; try again shortly", 1)));
    }
    Promise<T> promise = Promise.promise();
    long queuedAt = System.currentTimeMillis();
    waiting.add(
        () -> {
          if (closed) {
            promise.fail(new ProblemException(Problem.unavailable("The loader is stopping", 1)));
          } else if (System.currentTimeMillis() - queuedAt > maxWaitMillis) {
            promise.fail(
                new ProblemException(Problem.unavailable("The load waited too long to start", 1)));
            next();
          } else {
            start(task).onComplete(promise);
          }
        });
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
    return future.andThen(
        ar -> {
          running--;
          next();
        });
  }

  /** Refuses what still waits to start: the loader is going away. */
  void close() {
    closed = true;
    Runnable task;
    while ((task = waiting.poll()) != null) {
      task.run(); // each waiting task, started after close, fails at once
    }
  }

  private void next() {
    Runnable next = waiting.poll();
    if (next != null) {
      next.run();
    }
  }

  /**
   * Whether work nobody asked for yet (a prefetch) may start now: nobody waits, and a place stays
   * free for the next request even after it starts.
   */
  boolean hasSpare() {
    return waiting.isEmpty() && running < Math.max(1, maxRunning - 1);
  }

  int running() {
    return running;
  }
}
