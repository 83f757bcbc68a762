package dev.sluice.bus;

import java.util.List;

/**
 * How a listing processed as concurrent ranges went ({@link SluiceClient#processBatches}), once
 * every range ended and every batch was handled.
 *
 * @param rows items handled in all
 * @param rowsPerRange items of each range, in the listing's order
 * @param cutFrom what the loader cut the listing by: {@code statistics} (PostgreSQL's, of the sort
 *     column), {@code sample} (of the table's pages), {@code keys} (every key of a small listing),
 *     or {@code none} (one range: too few rows, or a listing that ranges would not speed up)
 */
public record Processed(long rows, List<Long> rowsPerRange, String cutFrom) {

  public Processed {
    rowsPerRange = List.copyOf(rowsPerRange);
  }

  public int ranges() {
    return rowsPerRange.size();
  }
}
