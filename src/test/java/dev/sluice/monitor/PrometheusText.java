package dev.sluice.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus text exposition format (version 0.0.4), read strictly enough that a malformed line
 * fails the test: {@code # HELP}/{@code # TYPE} comments, and samples {@code name{label="value",…}
 * number}.
 */
public record PrometheusText(List<Sample> samples) {

  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+-?\\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        if (!line.startsWith("# HELP ")
            && !line.startsWith("# TYPE ")
            && !line.startsWith("# EOF")) {
          throw new AssertionError("not a Prometheus comment: " + line);
        }
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a Prometheus sample: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        int at = 0;
        while (l.find() && l.start() == at) {
          labels.put(l.group(1), l.group(2));
          at = l.end();
        }
        if (at != m.group(3).length()) {
          throw new AssertionError("bad labels: " + line);
        }
      }
      samples.add(
          new Sample(
              m.group(1), labels, Double.parseDouble(m.group(4).replace("+Inf", "Infinity"))));
    }
    return new PrometheusText(samples);
  }

  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /**
   * The sum of the samples of {@code name} whose labels include the given (name, value, …) pairs; 0
   * if none.
   */
  public double value(String name, String... labels) {
    double sum = 0;
    for (Sample sample : samples) {
      if (!sample.name().equals(name)) {
        continue;
      }
      boolean matches = true;
      for (int i = 0; i + 1 < labels.length; i += 2) {
        matches &= labels[i + 1].equals(sample.labels().get(labels[i]));
      }
      if (matches) {
        sum += sample.value();
      }
    }
    return sum;
  }
}
