package dev.sluice.loader;

import dev.sluice.bus.Addresses;
import dev.sluice.bus.LoaderReply;
import dev.sluice.bus.Operation;
import dev.sluice.data.Catalog;
import dev.sluice.data.Sql;
import dev.sluice.strategy.CountMode;
import dev.sluice.strategy.ListQuery;
import dev.sluice.strategy.Params;
import dev.sluice.strategy.SortKey;
import io.vertx.core.Future;

import java.util.UUID;

/** Templates: templates by category and visibility, and one template's assets. */
public class TemplateLoaderVerticle extends LoaderVerticle {

  static final String COLUMNS = "t.id, t.user_id, t.name, t.description, t.category, t.is_public, t.usage_count, "
    + "t.created_at";
  static final SortKey MOST_USED = new SortKey("-usage_count", "t.usage_count", "bigint", "t.id", "uuid");

  static final String ASSET_COLUMNS = "a.id, a.template_id, a.name, a.asset_type, a.url, a.size_bytes, a.position, "
    + "a.created_at";
  static final SortKey BY_POSITION = new SortKey("position", "a.position", "integer", "a.id", "uuid");

  @Override
  protected String address() {
    return Addresses.TEMPLATES;
  }

  @Override
  protected String family() {
    return "templates";
  }

  @Override
  protected Future<Void> operations() {
    serve(Operation.TEMPLATES, this::templates);
    serve(Operation.TEMPLATE_ASSETS, this::assets);
    serveStream(Operation.TEMPLATE_STREAM, TemplateLoaderVerticle::listing);
    return Future.succeededFuture();
  }

  private static ListQuery listing(Params params) {
    String category = params.oneOf("category", Catalog.TEMPLATE_CATEGORIES, null);
    Boolean isPublic = params.bool("is_public", true);
    return ListQuery.from("templates t", COLUMNS)
      .equal("category", "t.category", category)
      .equal("is_public", "t.is_public", isPublic)
      .sort(MOST_USED)
      .build();
  }

  private Future<LoaderReply> templates(Params params) {
    ListQuery query = listing(params);
    int page = page(params);
    int perPage = perPage(params);
    CountMode count = CountMode.read(params, CountMode.NONE);
    params.validate();
    return pages.offset(Operation.TEMPLATES, query, page, perPage, count);
  }

  private Future<LoaderReply> assets(Params params) {
    UUID templateId = params.uuid("templateId", true);
    int page = page(params);
    int perPage = perPage(params);
    CountMode count = CountMode.read(params, CountMode.NONE);
    params.validate();
    ListQuery query = ListQuery.from("template_assets a", ASSET_COLUMNS)
      .equal("template_id", "a.template_id", templateId)
      .sort(BY_POSITION)
      .build();
    return pages.requireExists(Sql.of("SELECT EXISTS (SELECT 1 FROM templates WHERE id = ").param(templateId)
        .append(")"), "No template " + templateId)
      .compose(v -> pages.offset(Operation.TEMPLATE_ASSETS, query, page, perPage, count));
  }
}
