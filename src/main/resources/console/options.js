// The explorer's and the streams' filter options, as the API declares them: each <select data-from="<route>"> is
// filled with the values its parameter (the select's name) takes in /openapi.json, so the console never keeps a copy
// of the server's vocabularies. Loaded once, before the first page starts.

import { getJson } from './api.js';

/** Words for the sort orders the console names otherwise than by their parameter value. */
const LABELS = { '-created_at': 'newest', created_at: 'oldest', '-view_count': 'most viewed', title: 'title' };

/** Fills every select that names its route; resolves when they are filled (or the document could not be read). */
export async function fillOptions(root = document) {
  let api;
  try {
    api = await getJson('/openapi.json', { quiet: true });
  } catch (error) {
    console.warn('the filter options could not be read from /openapi.json', error);
    return;
  }
  for (const select of root.querySelectorAll('select[data-from]')) {
    const parameter = api.paths?.[select.dataset.from]?.get?.parameters?.find(p => p.name === select.name);
    const schema = parameter?.schema ?? {};
    const values = schema.enum ?? (schema.type === 'boolean' ? ['true', 'false'] : []);
    const options = values.map(value => new Option(LABELS[value] ?? String(value), String(value)));
    if (select.dataset.any !== undefined) {
      options.unshift(new Option(select.dataset.any || 'any', ''));
    }
    select.replaceChildren(...options);
    // the parameter's default, unless the select offers "any" (the console then asks for no filter at first)
    select.value = select.dataset.any !== undefined ? '' : String(schema.default ?? values[0] ?? '');
  }
}
