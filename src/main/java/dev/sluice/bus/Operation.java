package dev.sluice.bus;

/** The operations the loaders serve over request/reply: which address, which action. */
public enum Operation {
  USER_VIDEOS(Addresses.VIDEOS, "user-videos", "User videos retrieved successfully"),
  VIDEOS(Addresses.VIDEOS, "videos", "Videos retrieved successfully"),
  POPULAR_VIDEOS(Addresses.VIDEOS, "popular", "Popular videos retrieved successfully"),
  VIDEO_ANALYTICS(Addresses.VIDEOS, "analytics", "Video analytics retrieved successfully"),
  USERS(Addresses.USERS, "users", "Users retrieved successfully"),
  USER_RANGE(Addresses.USERS, "range", "User range retrieved successfully"),
  USER_ANALYTICS(Addresses.USERS, "analytics", "User analytics retrieved successfully"),
  USER_SESSIONS(Addresses.USERS, "sessions", "User sessions retrieved successfully"),
  PLATFORM_ANALYTICS(Addresses.ANALYTICS, "platform", "Platform analytics retrieved successfully"),
  ERROR_LOGS(Addresses.ANALYTICS, "errors", "Error logs retrieved successfully"),
  REPORT(Addresses.ANALYTICS, "report", "Report retrieved successfully"),
  TEMPLATES(Addresses.TEMPLATES, "templates", "Templates retrieved successfully"),
  TEMPLATE_ASSETS(Addresses.TEMPLATES, "assets", "Template assets retrieved successfully"),
  SEARCH(Addresses.SEARCH, "search", "Search results retrieved successfully"),
  SUGGESTIONS(Addresses.SEARCH, "suggestions", "Suggestions retrieved successfully");

  private final String address;
  private final String action;
  private final String message;

  Operation(String address, String action, String message) {
    this.address = address;
    this.action = action;
    this.message = message;
  }

  public String address() {
    return address;
  }

  public String action() {
    return action;
  }

  /** The envelope's {@code message} on success. */
  public String message() {
    return message;
  }

  /** A stable name, also what cursors are bound to: {@code sluice.videos/videos}. */
  public String qualifiedName() {
    return address + "/" + action;
  }
}
