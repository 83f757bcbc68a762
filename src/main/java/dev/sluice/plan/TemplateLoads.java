package dev.sluice.plan;

import dev.sluice.api.Operation;
import dev.sluice.api.Params;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.Dataset;
import dev.sluice.db.Sql;
import java.util.List;
import java.util.UUID;

/**
 * Templates: templates by category and visibility (or a batch by ids), one template, one template's
 * assets.
 */
final class TemplateLoads extends FamilyPlanner {

  private static final Dataset TEMPLATES = DemoRoutes.TEMPLATES;
  private static final Dataset ASSETS = DemoRoutes.TEMPLATE_ASSETS;

  TemplateLoads(SluiceConfig settings) {
    super(settings);
  }

  @Override
  String family() {
    return "templates";
  }

  @Override
  void register(Planners.Registry registry) {
    registry.page(Operation.TEMPLATES, this::templates);
    registry.page(Operation.TEMPLATE, this::template);
    registry.page(Operation.TEMPLATE_ASSETS, this::assets);
    registry.stream(Operation.TEMPLATE_STREAM, this::listing);
  }

  private ListQuery listing(Params params) {
    return ListQuery.over(TEMPLATES).filters(params, TEMPLATES, "category", "is_public").build();
  }

  private Load templates(Params params) {
    List<UUID> ids = ids(params, "category", "is_public", "page", "per_page", "count");
    if (ids != null) {
      return Load.batch(Operation.TEMPLATES, Operation.TEMPLATE, TEMPLATES, ids);
    }
    return Load.offset(
        Operation.TEMPLATES, listing(params), page(params), perPage(params), count(params));
  }

  private Load template(Params params) {
    UUID id = params.<UUID>get("templateId");
    return Load.item(Operation.TEMPLATE, TEMPLATES, id, "No template " + id);
  }

  private Load assets(Params params) {
    UUID templateId = params.<UUID>get("templateId");
    ListQuery query =
        ListQuery.over(ASSETS)
            .equal(ASSETS.filter("template_id"), templateId)
            .reads(TEMPLATES.table())
            .build();
    return Load.offset(
            Operation.TEMPLATE_ASSETS, query, page(params), perPage(params), count(params))
        .requiring(
            Sql.of("SELECT EXISTS (SELECT 1 FROM " + TEMPLATES.table() + " WHERE id = ")
                .param(templateId)
                .append(")"),
            "No template " + templateId);
  }
}
