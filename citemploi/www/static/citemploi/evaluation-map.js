/* Choropleth of the QPV (one rate of the funnel, the signals of the uncovered needs…): every element with
   data-choropleth, or #carte-entonnoir. The GeoJSON comes in the page (JSON block named by
   data-map-id, built by citemploi.evaluation.maps.choropleth): each feature carries its fill, outline and French
   label; masked QPV carry no value at all. Tiles only when configured: offline, the perimeters are drawn on a
   plain background. The table under the map has the same values. */
(function () {
  "use strict";
  function init(element) {
    if (typeof L === "undefined") { return; }
    var data = JSON.parse(document.getElementById(element.getAttribute("data-map-id")).textContent || "{}");
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView([45.44, 4.39], 11);
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) { L.tileLayer(tiles, { maxZoom: 19, attribution: "© contributeurs OpenStreetMap" }).addTo(map); }
    if (!data.features || !data.features.length) { return; }
    var layer = L.geoJSON(data, {
      style: function (feature) {
        var p = feature.properties;
        return { color: p.outline, weight: 1, fillColor: p.fill, fillOpacity: 0.85 };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        shape.bindTooltip(p.name + " (" + p.code + ") : " + p.label);
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [20, 20] });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var elements = document.querySelectorAll("#carte-entonnoir, [data-choropleth]");
    for (var i = 0; i < elements.length; i++) { init(elements[i]); }
  });
})();
