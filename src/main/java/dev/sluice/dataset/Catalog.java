package dev.sluice.dataset;

import java.util.List;

/** The closed vocabularies of the domain: what filters accept and what the demo data uses. */
public final class Catalog {

  public static final List<String> ROLES = List.of("admin", "creator", "viewer");
  public static final List<String> VIDEO_STATUSES =
      List.of("draft", "processing", "ready", "failed", "archived");
  public static final List<String> VIDEO_CATEGORIES =
      List.of(
          "music",
          "gaming",
          "education",
          "sports",
          "news",
          "comedy",
          "travel",
          "cooking",
          "technology",
          "lifestyle");
  public static final List<String> TEMPLATE_CATEGORIES =
      List.of("intro", "outro", "social", "business", "education", "gaming", "music", "holiday");
  public static final List<String> SEVERITIES =
      List.of("debug", "info", "warning", "error", "critical");
  public static final List<String> COMPONENTS =
      List.of(
          "gateway",
          "videos-loader",
          "users-loader",
          "analytics-loader",
          "templates-loader",
          "search-loader",
          "database");

  private Catalog() {}
}
