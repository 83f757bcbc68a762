package dev.sluice;

import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Boots a {@link Service} for each {@link Boot} field of an end-to-end test class and closes it
 * after the class, so that no test class copies the boot and the close. A class that boots the
 * service without the {@link EndToEnd} tag is refused: it would slow the fast tier.
 */
public final class SluiceExtension implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SluiceExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    if (!context.getTags().contains(EndToEnd.TAG)) {
      throw new ExtensionConfigurationException(
          testClass.getSimpleName()
              + " boots the service: mark it @EndToEnd, "
              + "so that the fast tier (./mvnw test) leaves it out");
    }
    // kept before anything starts, so that what did start is closed even when a later boot fails
    List<Field> booted = new ArrayList<>();
    context.getStore(NAMESPACE).put(testClass, booted);
    for (Field field : AnnotationSupport.findAnnotatedFields(testClass, Boot.class)) {
      if (!Modifier.isStatic(field.getModifiers())
          || Modifier.isFinal(field.getModifiers())
          || field.getType() != Service.class) {
        throw new ExtensionConfigurationException(
            "@Boot goes on a static, non-final Service field, not on " + field);
      }
      Boot boot = field.getAnnotation(Boot.class);
      Service service =
          Service.start(
              Service.config(overrides(testClass, boot.config())), Set.of(boot.without()));
      field.setAccessible(true);
      field.set(null, service);
      booted.add(field);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    @SuppressWarnings("unchecked")
    List<Field> booted =
        context.getStore(NAMESPACE).remove(context.getRequiredTestClass(), List.class);
    if (booted == null) {
      return;
    }
    Exception failed = null;
    for (int i = booted.size() - 1; i >= 0; i--) {
      Field field = booted.get(i);
      try {
        ((Service) field.get(null)).close();
      } catch (Exception e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      } finally {
        field.set(null, null);
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /**
   * What the static method {@code name} of the test class returns: configuration overrides; none
   * without a name.
   */
  private static JsonObject overrides(Class<?> testClass, String name) throws Exception {
    if (name.isEmpty()) {
      return new JsonObject();
    }
    Method method =
        ReflectionSupport.findMethod(testClass, name)
            .orElseThrow(
                () ->
                    new ExtensionConfigurationException(
                        "@Boot(config = \""
                            + name
                            + "\"): no method "
                            + name
                            + "() in "
                            + testClass.getSimpleName()));
    if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != JsonObject.class) {
      throw new ExtensionConfigurationException(
          "@Boot(config = \""
              + name
              + "\") names a static method that returns "
              + "a JsonObject, not "
              + method);
    }
    method.setAccessible(true);
    return (JsonObject) method.invoke(null);
  }
}
