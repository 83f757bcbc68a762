package dev.sluice.http;

import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The methods each path of the gateway answers, as its routes were registered: the {@code Allow}
 * header of a 405 and of an {@code OPTIONS} reply (RFC 9110). Written while the router is built,
 * read only afterwards.
 */
final class Allowed {

  private record Path(Pattern pattern, Set<HttpMethod> methods) {}

  private final List<Path> paths = new ArrayList<>();

  /** Records a literal route path ({@code /openapi.json}). */
  void path(String path, HttpMethod... methods) {
    regex(Pattern.quote(path), methods);
  }

  /**
   * Records the paths a regular expression matches (a route with parameters: {@code
   * HttpGatewayVerticle.Routes}).
   */
  void regex(String regex, HttpMethod... methods) {
    paths.add(new Path(Pattern.compile(regex), Set.of(methods)));
  }

  /**
   * The {@code Allow} value for a request path, {@code OPTIONS} included; null when no route serves
   * it.
   */
  String allow(String requestPath) {
    Set<HttpMethod> methods = new LinkedHashSet<>();
    for (Path path : paths) {
      if (path.pattern().matcher(requestPath).matches()) {
        methods.addAll(path.methods());
      }
    }
    if (methods.isEmpty()) {
      return null;
    }
    methods.add(HttpMethod.OPTIONS);
    return methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
  }
}
