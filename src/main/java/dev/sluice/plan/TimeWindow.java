package dev.sluice.plan;

import dev.sluice.api.Params;
import dev.sluice.config.LimitsConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The window strategy's request: {@code [start, end)} cut into buckets. Without {@code start} and
 * {@code end} it is the seven days before the next UTC midnight; with one of them, seven days from
 * or to it, cut at the first or last time a request may name ({@link Params#EARLIEST}, {@link
 * Params#LATEST}), so that every time it shows can be asked for again.
 */
public record TimeWindow(OffsetDateTime start, OffsetDateTime end, Bucket bucket) {

  static final Duration DEFAULT_SPAN = Duration.ofDays(7);

  /** The window a request asks for, its bounds and bucket read as declared ({@link Operations}). */
  public static TimeWindow read(
      Params params, String startName, String endName, LimitsConfig limits) {
    OffsetDateTime start = params.get(startName);
    OffsetDateTime end = params.get(endName);
    String bucketLabel = params.get("bucket");
    Bucket bucket = Bucket.of(bucketLabel);
    if (!params.has(startName) && !params.has(endName)) {
      end = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(1);
      start = end.minus(DEFAULT_SPAN);
    } else if (start != null && !params.has(endName)) {
      end = earlier(start.plus(DEFAULT_SPAN), Params.LATEST);
    } else if (end != null && !params.has(startName)) {
      start = later(end.minus(DEFAULT_SPAN), Params.EARLIEST);
    }
    if (start == null || end == null) {
      return null; // a fault is recorded already
    }
    if (!end.isAfter(start) && params.has(startName) != params.has(endName)) {
      // one side given, at the very edge of the times a request may name: nothing fits on its other
      // side
      if (params.has(startName)) {
        params.fail(
            startName,
            "must be before " + Params.LATEST.toInstant() + ", the last time a window may end");
      } else {
        params.fail(
            endName,
            "must be after " + Params.EARLIEST.toInstant() + ", the first time a window may start");
      }
      return null;
    }
    if (!end.isAfter(start)) {
      params.fail(endName, "must be after " + startName);
      return null;
    }
    Duration span = Duration.between(start, end);
    if (span.compareTo(Duration.ofDays(limits.maxWindowDays())) > 0) {
      params.fail(
          endName, "must be at most " + limits.maxWindowDays() + " days after " + startName);
      return null;
    }
    TimeWindow window = new TimeWindow(start, end, bucket);
    if (window.bucketCount() > limits.maxBuckets()) {
      params.fail(
          "bucket",
          "cuts this window into "
              + window.bucketCount()
              + " buckets; at most "
              + limits.maxBuckets()
              + " are allowed, choose a wider bucket or a shorter window");
      return null;
    }
    return window;
  }

  /**
   * This window with its start moved back to a bucket boundary of the Unix epoch's grid, as {@code
   * date_bin} aligns buckets (a declared dataset's windows are aligned so).
   */
  public TimeWindow alignedToEpoch() {
    OffsetDateTime epoch = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    long width = bucket.width().toNanos() / 1000;
    long micros = ChronoUnit.MICROS.between(epoch, start);
    OffsetDateTime aligned = epoch.plus(Math.floorDiv(micros, width) * width, ChronoUnit.MICROS);
    return new TimeWindow(aligned, end, bucket);
  }

  public Duration span() {
    return Duration.between(start, end);
  }

  public long bucketCount() {
    long width = bucket.width().toMillis();
    return (span().toMillis() + width - 1) / width;
  }

  public String startText() {
    return start.toInstant().toString();
  }

  public String endText() {
    return end.toInstant().toString();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("start", startText())
        .put("end", endText())
        .put("bucket", bucket.label());
  }

  /**
   * The window of the same span right after this one, for sliding on; shorter when it would end
   * after {@link Params#LATEST}, and null when this one ends there.
   */
  public JsonObject next() {
    if (!end.isBefore(Params.LATEST)) {
      return null;
    }
    OffsetDateTime nextEnd = earlier(end.plus(span()), Params.LATEST);
    return new JsonObject().put("start", endText()).put("end", nextEnd.toInstant().toString());
  }

  private static OffsetDateTime earlier(OffsetDateTime a, OffsetDateTime b) {
    return a.isBefore(b) ? a : b;
  }

  private static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
    return a.isAfter(b) ? a : b;
  }
}
