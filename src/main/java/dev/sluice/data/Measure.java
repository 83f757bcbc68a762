package dev.sluice.data;

/** One figure of a time series: its name in the reply and its aggregate over one bucket's rows. */
public record Measure(String name, String aggregate) {
}
