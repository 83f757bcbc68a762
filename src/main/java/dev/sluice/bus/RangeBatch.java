package dev.sluice.bus;

import dev.sluice.stream.StreamBatch;
import io.vertx.core.buffer.Buffer;
import java.util.Comparator;

/**
 * One batch of a listing processed as concurrent ranges ({@link SluiceClient#processBatches}): the
 * batch, which range of how many it belongs to, and its place in that range. Ranges are numbered in
 * the listing's order and batches within a range from 0, so sorting batches by {@link #ORDER} gives
 * the listing's order of one stream.
 *
 * @param range which range, from 0 (the first rows of the listing) to {@code ranges - 1}
 * @param ranges how many ranges the listing was cut into
 * @param seq the batch's place in its range, from 0
 * @param batch the NDJSON lines, their count and the position after the last of them
 */
public record RangeBatch(int range, int ranges, long seq, StreamBatch batch) {

  /** The listing's order: by range, then by place in the range. */
  public static final Comparator<RangeBatch> ORDER =
      Comparator.comparingInt(RangeBatch::range).thenComparingLong(RangeBatch::seq);

  /** The batch's items, one JSON object a line, each line ending with {@code \n}. */
  public Buffer lines() {
    return batch.lines();
  }

  public int count() {
    return batch.count();
  }
}
