package dev.sluice;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks an end-to-end test class: one that boots the service, an embedded PostgreSQL, a cluster or
 * a browser. It runs in {@code ./mvnw verify} only; {@code ./mvnw test} runs the fast tier, every
 * class without this tag.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(EndToEnd.TAG)
public @interface EndToEnd {

  /** The JUnit tag of the end-to-end tier, as the pom's surefire executions name it. */
  String TAG = "e2e";
}
