package dev.sluice.dataset;

/**
 * A declaration that cannot be served, named as an operator finds it: the file, the dataset, the
 * field and what is wrong (with what the catalog holds instead, where that helps).
 */
public final class DeclarationException extends RuntimeException {

  private final String source;
  private final String dataset;
  private final String field;

  public DeclarationException(String source, String dataset, String field, String problem) {
    super(source + ": datasets." + dataset + (field == null ? "" : "." + field) + ": " + problem);
    this.source = source;
    this.dataset = dataset;
    this.field = field;
  }

  public String source() {
    return source;
  }

  public String dataset() {
    return dataset;
  }

  /** The field of the declaration at fault ({@code sorts[1]}), or null for the whole of it. */
  public String field() {
    return field;
  }
}
