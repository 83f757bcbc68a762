// API: Swagger UI (from its WebJar) over /openapi.json, loaded on the tab's first visit. "Try it out" sends requests
// to this same server: the document's paths are relative to it.

const BASE = '/webjars/swagger-ui/5.34.1';

export async function start(page) {
  const target = page.querySelector('[data-testid="swagger"]');
  target.textContent = 'Loading the API description…';
  stylesheet(`${BASE}/swagger-ui.css`);
  await script(`${BASE}/swagger-ui-bundle.js`);
  await script(`${BASE}/swagger-ui-standalone-preset.js`);
  target.textContent = '';
  window.sluice.swagger = window.SwaggerUIBundle({
    url: '/openapi.json',
    domNode: target,
    deepLinking: false,
    docExpansion: 'list',
    tryItOutEnabled: false,
    validatorUrl: null, // no badge from validator.swagger.io: nothing is fetched from elsewhere
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset],
    plugins: [window.SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'BaseLayout',
    onComplete: () => { target.dataset.ready = 'true'; },
  });
}

function stylesheet(href) {
  document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href }));
}

function script(src) {
  return new Promise((resolve, reject) => {
    const element = Object.assign(document.createElement('script'), { src, onload: resolve, onerror: reject });
    document.head.append(element);
  });
}
