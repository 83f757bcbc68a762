package dev.sluice.strategy;

import dev.sluice.config.LimitsConfig;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The window strategy's request: {@code [start, end)} cut into buckets. Without {@code start} and {@code end} it is
 * the seven days before the next UTC midnight; with one of them, seven days from or to it.
 */
public record TimeWindow(OffsetDateTime start, OffsetDateTime end, Bucket bucket) {

  static final Duration DEFAULT_SPAN = Duration.ofDays(7);

  public static TimeWindow read(Params params, String startName, String endName, Bucket defaultBucket,
                                LimitsConfig limits) {
    OffsetDateTime start = params.time(startName, false);
    OffsetDateTime end = params.time(endName, false);
    String bucketLabel = params.oneOf("bucket", Bucket.NAMES, defaultBucket.label());
    Bucket bucket = Bucket.of(bucketLabel);
    if (!params.has(startName) && !params.has(endName)) {
      end = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(1);
      start = end.minus(DEFAULT_SPAN);
    } else if (start != null && !params.has(endName)) {
      end = start.plus(DEFAULT_SPAN);
    } else if (end != null && !params.has(startName)) {
      start = end.minus(DEFAULT_SPAN);
    }
    if (start == null || end == null) {
      return null; // a fault is recorded already
    }
    if (!end.isAfter(start)) {
      params.fail(endName, "must be after " + startName);
      return null;
    }
    Duration span = Duration.between(start, end);
    if (span.compareTo(Duration.ofDays(limits.maxWindowDays())) > 0) {
      params.fail(endName, "must be at most " + limits.maxWindowDays() + " days after " + startName);
      return null;
    }
    TimeWindow window = new TimeWindow(start, end, bucket);
    if (window.bucketCount() > limits.maxBuckets()) {
      params.fail("bucket", "cuts this window into " + window.bucketCount() + " buckets; at most "
        + limits.maxBuckets() + " are allowed, choose a wider bucket or a shorter window");
      return null;
    }
    return window;
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
    return new JsonObject().put("start", startText()).put("end", endText()).put("bucket", bucket.label());
  }

  /** The window of the same span right after this one, for sliding on. */
  public JsonObject next() {
    OffsetDateTime nextEnd = end.plus(span());
    return new JsonObject().put("start", endText()).put("end", nextEnd.toInstant().toString());
  }
}
