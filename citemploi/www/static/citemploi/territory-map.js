/* Territory map: QPV perimeters from a JSON endpoint (data-qpv-url), the relais and actions (data-points-url,
   optional) and, on "Vérifier une adresse", the geocoded point (data-lon, data-lat). Tiles only when configured
   (data-tile-url): without them everything is drawn on a plain background, so the page works offline (demo).
   The demo's fictitious perimeters (properties.fictitious) say so in their tooltip. */
(function () {
  "use strict";
  function init(element) {
    if (typeof L === "undefined") { return; }
    var lon = parseFloat(element.getAttribute("data-lon"));
    var lat = parseFloat(element.getAttribute("data-lat"));
    var hasPoint = !isNaN(lon) && !isNaN(lat);
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView(hasPoint ? [lat, lon] : [45.44, 4.39], hasPoint ? 16 : 11);
    // Zoom buttons named in French (Leaflet's default titles are English; they are the buttons' accessible names).
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) { L.tileLayer(tiles, { maxZoom: 19, attribution: "© contributeurs OpenStreetMap" }).addTo(map); }
    if (hasPoint) {
      L.circleMarker([lat, lon], { radius: 8, color: "#b3261e", weight: 3, fillOpacity: 0.8 })
        .bindTooltip(element.getAttribute("data-point-label") || "Adresse").addTo(map);
    }
    fetch(element.getAttribute("data-qpv-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.features.length) { return; }
        var layer = L.geoJSON(data, {
          style: { color: "#2e7d32", weight: 2, fillOpacity: 0.15 },
          onEachFeature: function (feature, shape) {
            var label = feature.properties.name + " (" + feature.properties.code + ")";
            if (feature.properties.fictitious) { label += " — périmètre fictif de démonstration"; }
            shape.bindTooltip(label);
          }
        }).addTo(map);
        if (!hasPoint) { map.fitBounds(layer.getBounds(), { padding: [20, 20] }); }
      });
    var points = element.getAttribute("data-points-url");
    if (points) {
      fetch(points, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          data.features.forEach(function (f) {
            var isAction = f.type === "action";
            L.circleMarker([f.lat, f.lon], { radius: isAction ? 5 : 7, color: isAction ? "#6a1b9a" : "#1b5e7a", weight: 2, fillOpacity: 0.8 })
              .bindTooltip((isAction ? "Action : " : "Relais : ") + f.name).addTo(map);
          });
        });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("carte-qpv");
    if (element) { init(element); }
  });
})();
