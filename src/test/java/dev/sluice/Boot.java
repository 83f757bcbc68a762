package dev.sluice;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole service for an {@link EndToEnd} test class, booted once before the class's
 * {@code @BeforeAll} methods and closed after its {@code @AfterAll} methods ({@link
 * SluiceExtension}):
 *
 * <pre>{@code
 * @EndToEnd
 * class CacheBoundsTest {
 *   @Boot(config = "bounded") static Service service;
 *
 *   static JsonObject bounded() {
 *     return new JsonObject().put("cache", new JsonObject().put("max_mb", 1));
 *   }
 * }
 * }</pre>
 *
 * Each static {@link Service} field so marked gets a service of its own.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SluiceExtension.class)
public @interface Boot {

  /**
   * The name of a static method of the test class that returns this service's configuration
   * overrides, merged into the test configuration section by section ({@link Service#config}); none
   * when empty.
   */
  String config() default "";

  /** The verticles of verticles.json not to deploy, by name (a test deploys its own). */
  String[] without() default {};
}
