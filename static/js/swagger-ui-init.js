/* /api/docs/: starts Swagger UI on #swagger-ui. A file, not an inline script, so that the
   Content-Security-Policy can say script-src 'self' with no 'unsafe-inline'. The page gives the
   schema's URL and Swagger UI's settings (SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"], JSON) in
   data- attributes. The API is read-only and anonymous: no credentials, no CSRF header. */
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  let settings = {};
  try {
    settings = JSON.parse(root.dataset.settings || "{}");
  } catch (error) {
    console.error("Swagger UI settings are not valid JSON; starting with the defaults.", error);
  }
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    ...settings,
  });
})();
