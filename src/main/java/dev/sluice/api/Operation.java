package dev.sluice.api;

import java.util.List;

/**
 * The operations the loaders serve: which address, which action. The {@code *_STREAM} operations
 * are streams (opened with {@code SluiceClient.stream}, see {@code
 * dev.sluice.stream.StreamProtocol}); the others are request/reply. {@link #VIDEO}, {@link #USER}
 * and {@link #TEMPLATE} load one item by its {@code id}; the listings {@link #VIDEOS}, {@link
 * #USERS} and {@link #TEMPLATES} also take {@code ids} (a batch).
 */
public enum Operation {
  USER_VIDEOS(Addresses.VIDEOS, "user-videos", "User videos retrieved successfully"),
  VIDEOS(Addresses.VIDEOS, "videos", "Videos retrieved successfully"),
  VIDEO(Addresses.VIDEOS, "video", "Video retrieved successfully"),
  POPULAR_VIDEOS(Addresses.VIDEOS, "popular", "Popular videos retrieved successfully"),
  VIDEO_ANALYTICS(Addresses.VIDEOS, "analytics", "Video analytics retrieved successfully"),
  USERS(Addresses.USERS, "users", "Users retrieved successfully"),
  USER(Addresses.USERS, "user", "User retrieved successfully"),
  USER_RANGE(Addresses.USERS, "range", "User range retrieved successfully"),
  USER_ANALYTICS(Addresses.USERS, "analytics", "User analytics retrieved successfully"),
  USER_SESSIONS(Addresses.USERS, "sessions", "User sessions retrieved successfully"),
  PLATFORM_ANALYTICS(Addresses.ANALYTICS, "platform", "Platform analytics retrieved successfully"),
  ERROR_LOGS(Addresses.ANALYTICS, "errors", "Error logs retrieved successfully"),
  REPORT(Addresses.ANALYTICS, "report", "Report retrieved successfully"),
  TEMPLATES(Addresses.TEMPLATES, "templates", "Templates retrieved successfully"),
  TEMPLATE(Addresses.TEMPLATES, "template", "Template retrieved successfully"),
  TEMPLATE_ASSETS(Addresses.TEMPLATES, "assets", "Template assets retrieved successfully"),
  SEARCH(Addresses.SEARCH, "search", "Search results retrieved successfully"),
  SUGGESTIONS(Addresses.SEARCH, "suggestions", "Suggestions retrieved successfully"),
  VIDEO_STREAM(Addresses.VIDEOS, "stream", "Videos streamed"),
  USER_STREAM(Addresses.USERS, "stream", "Users streamed"),
  TEMPLATE_STREAM(Addresses.TEMPLATES, "stream", "Templates streamed"),
  SEARCH_STREAM(Addresses.SEARCH, "stream", "Search results streamed"),
  PERFORMANCE_STREAM(Addresses.ANALYTICS, "performance-stream", "Performance metrics streamed");

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

  /**
   * The data family the operation belongs to ({@code videos}, …): whose cache policy and statistics
   * apply.
   */
  public String family() {
    return familyOf(address);
  }

  /** The data family served at a loader address: {@code sluice.videos} serves {@code videos}. */
  public static String familyOf(String address) {
    return address.substring(address.lastIndexOf('.') + 1);
  }

  /**
   * Every data family a loader serves, in the order of the operations: {@code videos}, {@code
   * users}, …
   */
  public static List<String> families() {
    return FAMILIES;
  }

  private static final List<String> FAMILIES =
      java.util.Arrays.stream(values()).map(Operation::family).distinct().toList();

  /**
   * The loader address that serves a data family: {@code videos} is served at {@code
   * sluice.videos}.
   */
  public static String addressOf(String family) {
    for (Operation op : values()) {
      if (op.family().equals(family)) {
        return op.address;
      }
    }
    throw new IllegalArgumentException("no loader serves " + family);
  }

  public boolean streaming() {
    return name().endsWith("_STREAM");
  }

  /** The operation with this action at this address, or null. */
  public static Operation find(String address, String action) {
    for (Operation op : values()) {
      if (op.address.equals(address) && op.action.equals(action)) {
        return op;
      }
    }
    return null;
  }

  /** A stable name, also what cursors are bound to: {@code sluice.videos/videos}. */
  public String qualifiedName() {
    return address + "/" + action;
  }
}
