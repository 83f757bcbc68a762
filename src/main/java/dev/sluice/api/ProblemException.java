package dev.sluice.api;

/**
 * Carries a {@link Problem} from where it is found to where it is answered; an expected failure, so
 * no stack.
 */
public final class ProblemException extends RuntimeException {

  private final Problem problem;

  public ProblemException(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  /** A problem that stands for {@code cause} (kept for its classification, not its stack). */
  public ProblemException(Problem problem, Throwable cause) {
    super(problem.detail(), cause, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
