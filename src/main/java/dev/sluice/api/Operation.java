package dev.sluice.api;

import java.util.List;

/**
 * The operations the loaders serve: which address, which action. The {@code *_STREAM} operations
 * are streams (opened with {@code SluiceClient.stream}, see {@code
 * dev.sluice.stream.StreamProtocol}); the others are request/reply. {@link #VIDEO}, {@link #USER}
 * and {@link #TEMPLATE} load one item by its {@code id}; the listings {@link #VIDEOS}, {@link
 * #USERS} and {@link #TEMPLATES} also take {@code ids} (a batch). The operations of a declared
 * dataset ({@link #declared}) are made from its configuration; the constants are the demo's named
 * routes. Two operations are the same when their address and action are.
 */
public final class Operation {
  public static final Operation USER_VIDEOS =
      new Operation(
          "USER_VIDEOS",
          Addresses.VIDEOS,
          "user-videos",
          "User videos retrieved successfully",
          false);
  public static final Operation VIDEOS =
      new Operation("VIDEOS", Addresses.VIDEOS, "videos", "Videos retrieved successfully", false);
  public static final Operation VIDEO =
      new Operation("VIDEO", Addresses.VIDEOS, "video", "Video retrieved successfully", false);
  public static final Operation POPULAR_VIDEOS =
      new Operation(
          "POPULAR_VIDEOS",
          Addresses.VIDEOS,
          "popular",
          "Popular videos retrieved successfully",
          false);
  public static final Operation VIDEO_ANALYTICS =
      new Operation(
          "VIDEO_ANALYTICS",
          Addresses.VIDEOS,
          "analytics",
          "Video analytics retrieved successfully",
          false);
  public static final Operation USERS =
      new Operation("USERS", Addresses.USERS, "users", "Users retrieved successfully", false);
  public static final Operation USER =
      new Operation("USER", Addresses.USERS, "user", "User retrieved successfully", false);
  public static final Operation USER_RANGE =
      new Operation(
          "USER_RANGE", Addresses.USERS, "range", "User range retrieved successfully", false);
  public static final Operation USER_ANALYTICS =
      new Operation(
          "USER_ANALYTICS",
          Addresses.USERS,
          "analytics",
          "User analytics retrieved successfully",
          false);
  public static final Operation USER_SESSIONS =
      new Operation(
          "USER_SESSIONS",
          Addresses.USERS,
          "sessions",
          "User sessions retrieved successfully",
          false);
  public static final Operation PLATFORM_ANALYTICS =
      new Operation(
          "PLATFORM_ANALYTICS",
          Addresses.ANALYTICS,
          "platform",
          "Platform analytics retrieved successfully",
          false);
  public static final Operation ERROR_LOGS =
      new Operation(
          "ERROR_LOGS", Addresses.ANALYTICS, "errors", "Error logs retrieved successfully", false);
  public static final Operation REPORT =
      new Operation(
          "REPORT", Addresses.ANALYTICS, "report", "Report retrieved successfully", false);
  public static final Operation TEMPLATES =
      new Operation(
          "TEMPLATES", Addresses.TEMPLATES, "templates", "Templates retrieved successfully", false);
  public static final Operation TEMPLATE =
      new Operation(
          "TEMPLATE", Addresses.TEMPLATES, "template", "Template retrieved successfully", false);
  public static final Operation TEMPLATE_ASSETS =
      new Operation(
          "TEMPLATE_ASSETS",
          Addresses.TEMPLATES,
          "assets",
          "Template assets retrieved successfully",
          false);
  public static final Operation SEARCH =
      new Operation(
          "SEARCH", Addresses.SEARCH, "search", "Search results retrieved successfully", false);
  public static final Operation SUGGESTIONS =
      new Operation(
          "SUGGESTIONS",
          Addresses.SEARCH,
          "suggestions",
          "Suggestions retrieved successfully",
          false);
  public static final Operation VIDEO_STREAM =
      new Operation("VIDEO_STREAM", Addresses.VIDEOS, "stream", "Videos streamed", true);
  public static final Operation USER_STREAM =
      new Operation("USER_STREAM", Addresses.USERS, "stream", "Users streamed", true);
  public static final Operation TEMPLATE_STREAM =
      new Operation("TEMPLATE_STREAM", Addresses.TEMPLATES, "stream", "Templates streamed", true);
  public static final Operation SEARCH_STREAM =
      new Operation("SEARCH_STREAM", Addresses.SEARCH, "stream", "Search results streamed", true);
  public static final Operation PERFORMANCE_STREAM =
      new Operation(
          "PERFORMANCE_STREAM",
          Addresses.ANALYTICS,
          "performance-stream",
          "Performance metrics streamed",
          true);

  private static final List<Operation> VALUES =
      List.of(
          USER_VIDEOS,
          VIDEOS,
          VIDEO,
          POPULAR_VIDEOS,
          VIDEO_ANALYTICS,
          USERS,
          USER,
          USER_RANGE,
          USER_ANALYTICS,
          USER_SESSIONS,
          PLATFORM_ANALYTICS,
          ERROR_LOGS,
          REPORT,
          TEMPLATES,
          TEMPLATE,
          TEMPLATE_ASSETS,
          SEARCH,
          SUGGESTIONS,
          VIDEO_STREAM,
          USER_STREAM,
          TEMPLATE_STREAM,
          SEARCH_STREAM,
          PERFORMANCE_STREAM);

  /** Where the loader of a declared dataset listens: {@code sluice.data.<dataset>}. */
  public static final String DATA_ADDRESS = "sluice.data.";

  private final String name;
  private final String address;
  private final String action;
  private final String message;
  private final boolean streaming;

  private Operation(String name, String address, String action, String message, boolean streaming) {
    this.name = name;
    this.address = address;
    this.action = action;
    this.message = message;
    this.streaming = streaming;
  }

  /**
   * An operation of the declared dataset {@code dataset} ({@code list}, {@code item}, {@code
   * stream}…), served by the dataset's own loader.
   */
  public static Operation declared(
      String dataset, String action, String message, boolean streaming) {
    return new Operation(
        dataset + "/" + action, DATA_ADDRESS + dataset, action, message, streaming);
  }

  /** The demo's operation whose constant is called {@code name} ({@code VIDEOS}). */
  public static Operation valueOf(String name) {
    for (Operation op : VALUES) {
      if (op.name.equals(name)) {
        return op;
      }
    }
    throw new IllegalArgumentException("No operation " + name);
  }

  /** The demo's named routes, in declaration order. */
  public static List<Operation> values() {
    return VALUES;
  }

  /** The constant's name ({@code VIDEOS}), or {@code dataset/action} for a declared dataset. */
  public String name() {
    return name;
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
   * The data family the operation belongs to ({@code videos}, or a declared dataset's name): whose
   * cache policy and statistics apply.
   */
  public String family() {
    return familyOf(address);
  }

  /** The data family served at a loader address: {@code sluice.videos} serves {@code videos}. */
  public static String familyOf(String address) {
    return address.substring(address.lastIndexOf('.') + 1);
  }

  /**
   * Every data family of the demo's routes, in the order of the operations: {@code videos}, {@code
   * users}, …
   */
  public static List<String> families() {
    return FAMILIES;
  }

  private static final List<String> FAMILIES =
      VALUES.stream().map(Operation::family).distinct().toList();

  /**
   * The loader address that serves a data family: {@code videos} is served at {@code
   * sluice.videos}, a declared dataset at {@code sluice.data.<name>}.
   */
  public static String addressOf(String family) {
    for (Operation op : VALUES) {
      if (op.family().equals(family)) {
        return op.address;
      }
    }
    return DATA_ADDRESS + family;
  }

  public boolean streaming() {
    return streaming;
  }

  /** The demo's operation with this action at this address, or null. */
  public static Operation find(String address, String action) {
    for (Operation op : VALUES) {
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

  @Override
  public boolean equals(Object other) {
    return other instanceof Operation op && op.address.equals(address) && op.action.equals(action);
  }

  @Override
  public int hashCode() {
    return address.hashCode() * 31 + action.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
