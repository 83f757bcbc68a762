package dev.sluice.dataset;

/**
 * One kind of thing search finds (videos, templates): its table, which of its columns are a hit's
 * title and popularity, and which rows are visible to search at all. Every source has {@code id},
 * {@code description}, {@code category}, {@code created_at} and a {@code search_vector}.
 */
public record SearchSource(
    String type,
    String table,
    String titleColumn,
    String popularityColumn,
    String visibleCondition) {}
