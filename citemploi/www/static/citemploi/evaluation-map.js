/* Choropleth of the QPV for one rate of the funnel: perimeters from data-qpv-url (the territory map's endpoint),
   rates from the JSON block named by data-rates-id ({code: rate or null}). Tiles only when configured: offline, the
   perimeters are drawn on a plain background. Masked or unknown rates are grey; the table under the map has the
   values (the map adds nothing the table does not say). */
(function () {
  "use strict";
  var SHADES = ["#e8f5e9", "#a5d6a7", "#66bb6a", "#2e7d32", "#1b5e20"];
  function shade(rate) {
    if (rate === null || rate === undefined) { return null; }
    return SHADES[Math.min(SHADES.length - 1, Math.floor(rate * SHADES.length))];
  }
  function init(element) {
    if (typeof L === "undefined") { return; }
    var rates = JSON.parse(document.getElementById(element.getAttribute("data-rates-id")).textContent || "{}");
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView([45.44, 4.39], 11);
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) { L.tileLayer(tiles, { maxZoom: 19, attribution: "© contributeurs OpenStreetMap" }).addTo(map); }
    fetch(element.getAttribute("data-qpv-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.features.length) { return; }
        var layer = L.geoJSON(data, {
          style: function (feature) {
            var colour = shade(rates[feature.properties.code]);
            return colour ? { color: "#1b5e20", weight: 1, fillColor: colour, fillOpacity: 0.8 }
                          : { color: "#616161", weight: 1, fillColor: "#bdbdbd", fillOpacity: 0.5, dashArray: "4" };
          },
          onEachFeature: function (feature, shape) {
            var rate = rates[feature.properties.code];
            var text = (rate === null || rate === undefined) ? "inconnu ou masqué" : (Math.round(rate * 1000) / 10).toString().replace(".", ",") + " %";
            shape.bindTooltip(feature.properties.name + " (" + feature.properties.code + ") : " + text);
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [20, 20] });
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("carte-entonnoir");
    if (element) { init(element); }
  });
})();
