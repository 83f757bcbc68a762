package dev.sluice.bus;

import io.vertx.core.Future;

/**
 * What a caller of {@link SluiceClient#processBatches} does with each batch. Batches of different
 * ranges arrive interleaved, on the context that called {@code processBatches}; a range's next
 * batch is handed over only once the future returned for its previous one has completed, so a slow
 * handler slows that range's database cursor down (backpressure, as for a stream). Work handed to
 * other threads (a worker, {@code executeBlocking}) lets the ranges be processed in parallel. A
 * failed future, or an exception thrown, fails the whole processing and stops every range.
 */
@FunctionalInterface
public interface BatchHandler {

  Future<?> handle(RangeBatch batch);
}
