package dev.sluice.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.util.concurrent.TimeUnit;

/**
 * What the OpenAPI tests do with vertx-openapi 5.0.7: validate a document, and read it as a
 * contract.
 */
final class OpenApiContracts {

  private OpenApiContracts() {}

  /**
   * The document checked against the OpenAPI 3.1 schema (the one vertx-openapi ships); its output
   * unit.
   */
  static OutputUnit validate(Vertx vertx, JsonObject document) {
    OpenAPIVersion version = OpenAPIVersion.fromContract(document);
    SchemaRepository repository =
        version.getRepository(vertx, "app://").timeout(1, TimeUnit.MINUTES).await();
    return version
        .validateContract(vertx, repository, document)
        .timeout(1, TimeUnit.MINUTES)
        .await();
  }

  /**
   * The document as vertx-openapi 5.0.7 can read it into a contract for its validators. It refuses
   * a contract with a response media type it cannot analyse (it reads JSON, multipart and text, not
   * problem+json, NDJSON, SSE or HTML), so this view reads {@code application/problem+json} as
   * {@code application/json} (it is JSON) and drops the others; and it takes only an absolute
   * server URL, where the document's is relative ({@code /}, the origin that served it). Every
   * schema stays as written.
   */
  static JsonObject validatorView(JsonObject document) {
    JsonObject view = document.copy();
    readable(view);
    view.put("servers", new JsonArray().add(new JsonObject().put("url", "http://127.0.0.1/")));
    return view;
  }

  static OpenAPIContract contract(Vertx vertx, JsonObject document) {
    return OpenAPIContract.from(vertx, validatorView(document))
        .timeout(1, TimeUnit.MINUTES)
        .await();
  }

  private static void readable(Object node) {
    if (node instanceof JsonObject object) {
      JsonObject content = object.getJsonObject("content");
      if (content != null) {
        JsonObject problem = (JsonObject) content.remove(Problems.CONTENT_TYPE);
        if (problem != null) {
          content.put(MediaType.APPLICATION_JSON, problem);
        }
        content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
        if (content.isEmpty()) {
          object.remove("content");
        }
      }
      object.forEach(entry -> readable(entry.getValue()));
    } else if (node instanceof JsonArray array) {
      array.forEach(OpenApiContracts::readable);
    }
  }
}
