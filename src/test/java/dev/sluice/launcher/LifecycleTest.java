package dev.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import dev.sluice.load.LoaderVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName("Verticles come and go cleanly while the node's shared cache and listener stay")
class LifecycleTest {

  @Boot static Service service;

  @Test
  @DisplayName(
      "an undeployed loader takes its address with it (503, not a 500 from its closed pool); a new one serves")
  void redeployLoader() {
    assertEquals(200, service.get("/api/v1/videos?limit=2&category=news").statusCode());
    Waits.lifecycle(service.vertx.undeploy(service.deployments.get("videos")));
    HttpResponse<Buffer> gone = service.get("/api/v1/videos?limit=3&category=news");
    assertEquals(503, gone.statusCode(), gone::bodyAsString);
    assertEquals(
        "https://sluice.dev/problems/unavailable", gone.bodyAsJsonObject().getString("type"));
    Waits.lifecycle(
        service.vertx.deployVerticle(
            new LoaderVerticle(service.node, "videos"),
            new DeploymentOptions().setConfig(service.config)));
    for (int i = 0; i < 20; i++) {
      assertEquals(
          200, service.get("/api/v1/videos?limit=" + (4 + i) + "&category=news").statusCode());
    }
    assertEquals(
        "sluice; hit",
        service.get("/api/v1/videos?limit=2&category=news").getHeader("Cache-Status"),
        "the node cache outlived the loader");
  }
}
