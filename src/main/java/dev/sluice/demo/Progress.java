package dev.sluice.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Receives the progress of a {@link Seeder} run. The seeder calls {@link #update} once with {@code
 * done = 0} when it starts a table, then after every chunk it inserted, and {@link #finished} when
 * the table is complete. Calls come from a Vert.x event-loop thread: implementations must not
 * block.
 */
public interface Progress {

  /** {@code done} of {@code total} rows of {@code table} are written. */
  void update(String table, long done, long total);

  /** {@code table} is complete: {@code rows} rows written in {@code took}. */
  void finished(String table, long rows, Duration took);

  /** Reports nothing. */
  static Progress none() {
    return None.INSTANCE;
  }

  /**
   * A progress bar on {@code out}, one line per table, redrawn in place with {@code \r}: {@code
   * videos [#######.....] 42% 420,000/1,000,000 rows 85,000 rows/s ETA 7s}; when the table is done
   * the line is replaced by a final one ending in a newline.
   */
  static Progress terminal(PrintStream out) {
    return new Terminal(out);
  }

  /**
   * What the launcher reports on standard output: the redrawn bar on a terminal, else (a log file,
   * a pipe, a container's log) one plain line per finished table, never carriage-return frames.
   */
  static Progress console(PrintStream out, boolean terminal) {
    return terminal ? terminal(out) : lines(out);
  }

  /**
   * One line per finished table on {@code out}, as the bar's last frame reads, and nothing while it
   * runs.
   */
  static Progress lines(PrintStream out) {
    return new Progress() {
      @Override
      public void update(String table, long done, long total) {
        // a log gets the outcome only
      }

      @Override
      public void finished(String table, long rows, Duration took) {
        out.println(Terminal.summary(table, rows, took));
        out.flush();
      }
    };
  }

  /** The {@link #none()} implementation. */
  enum None implements Progress {
    INSTANCE;

    @Override
    public void update(String table, long done, long total) {
      // nothing to report
    }

    @Override
    public void finished(String table, long rows, Duration took) {
      // nothing to report
    }
  }

  /** The {@link #terminal(PrintStream)} implementation. */
  final class Terminal implements Progress {

    static final int NAME_WIDTH = 19; // performance_metrics, the longest table name
    static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private String table;
    private long startNanos;
    private int lastLength;

    private Terminal(PrintStream out) {
      this.out = out;
    }

    @Override
    public synchronized void update(String table, long done, long total) {
      if (!table.equals(this.table)) {
        this.table = table;
        this.startNanos = System.nanoTime();
        this.lastLength = 0;
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
      StringBuilder line = new StringBuilder(120);
      line.append(String.format(Locale.ROOT, "%-" + NAME_WIDTH + "s ", table));
      line.append(bar(fraction));
      line.append(
          String.format(
              Locale.ROOT,
              " %3d%%  %s/%s %s",
              (int) Math.floor(fraction * 100),
              number(done),
              number(total),
              unit(table)));
      if (done > 0 && seconds > 0.05) {
        double rate = done / seconds;
        line.append("  ")
            .append(number(Math.round(rate)))
            .append(' ')
            .append(unit(table))
            .append("/s");
        line.append("  ETA ").append(eta(Math.max(0, total - done) / rate));
      }
      draw(line.toString(), false);
    }

    @Override
    public synchronized void finished(String table, long rows, Duration took) {
      String line = summary(table, rows, took);
      if (!table.equals(this.table)) {
        lastLength = 0;
      }
      draw(line, true);
      this.table = null;
    }

    /** The line a finished table ends with. */
    static String summary(String table, long rows, Duration took) {
      double seconds = Math.max(1, took.toMillis()) / 1000.0;
      return String.format(Locale.ROOT, "%-" + NAME_WIDTH + "s ", table)
          + bar(1.0)
          + " 100%  "
          + number(rows)
          + " "
          + unit(table)
          + " in "
          + duration(took)
          + "  "
          + number(Math.round(rows / seconds))
          + " "
          + unit(table)
          + "/s";
    }

    private void draw(String line, boolean last) {
      StringBuilder text = new StringBuilder(line.length() + 8).append('\r').append(line);
      for (int i = line.length(); i < lastLength; i++) {
        text.append(' '); // wipe what a longer previous line left behind
      }
      if (last) {
        text.append(System.lineSeparator());
        lastLength = 0;
      } else {
        lastLength = line.length();
      }
      out.print(text);
      out.flush();
    }

    /**
     * What {@code done} and {@code total} count: rows, indexes for {@link Seeder#INDEXES}, tables
     * for {@link Seeder#CLUSTER}.
     */
    static String unit(String table) {
      return Seeder.INDEXES.equals(table)
          ? "indexes"
          : Seeder.CLUSTER.equals(table) ? "tables" : "rows";
    }

    static String bar(double fraction) {
      int filled = (int) Math.floor(fraction * BAR_WIDTH);
      return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    static String number(long n) {
      return String.format(Locale.US, "%,d", n);
    }

    /** Whole seconds, rounded up: {@code 7s}, {@code 2m05s}. */
    static String eta(double seconds) {
      long s = (long) Math.ceil(seconds);
      return s < 60 ? s + "s" : duration(Duration.ofSeconds(s));
    }

    static String duration(Duration d) {
      long ms = d.toMillis();
      if (ms < 10_000) {
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
      }
      long s = Math.round(ms / 1000.0);
      if (s < 60) {
        return s + "s";
      }
      if (s < 3600) {
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
      }
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
  }
}
