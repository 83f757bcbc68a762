package dev.sluice;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The lines one logger writes while a test runs, as a log reader would see them (level and
 * formatted message): attach it, act, read, close. Thread-safe, since the service logs from its
 * event loops and the access log from its asynchronous appender's thread.
 */
public final class LogCapture implements AutoCloseable {

  /** One line: its level and its message with the arguments in place. */
  public record Line(Level level, String message) {
    @Override
    public String toString() {
      return level + " " + message;
    }
  }

  private final Logger logger;
  private final List<Line> lines = new ArrayList<>();
  private final AppenderBase<ILoggingEvent> appender =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          synchronized (lines) {
            lines.add(new Line(event.getLevel(), event.getFormattedMessage()));
          }
        }
      };

  private LogCapture(String name) {
    logger = (Logger) LoggerFactory.getLogger(name);
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  /** Captures what the logger {@code name} (and the loggers below it) writes from now on. */
  public static LogCapture of(String name) {
    return new LogCapture(name);
  }

  public static LogCapture of(Class<?> type) {
    return new LogCapture(type.getName());
  }

  public List<Line> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The lines that contain {@code text}. */
  public List<Line> containing(String text) {
    return lines().stream().filter(line -> line.message().contains(text)).toList();
  }

  /** Waits up to {@code millis} for a line that matches; it, or null. */
  public Line await(long millis, Predicate<Line> matches) {
    Line[] found = new Line[1];
    Service.eventually(
        millis,
        () -> (found[0] = lines().stream().filter(matches).findFirst().orElse(null)) != null);
    return found[0];
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
