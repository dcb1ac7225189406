// Starts Swagger UI on the app's own OpenAPI document (no inline script: the CSP forbids it).
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi"),
    domNode: root,
    deepLinking: true,
  });
})();
