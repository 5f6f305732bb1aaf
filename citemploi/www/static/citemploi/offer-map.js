/* Map of the offer: reads its data from a JSON endpoint (data-map-url); tiles only when configured
   (data-tile-url), so the map works offline and without a tile provider. The list under the map carries the
   same places for screen readers and keyboard users. */
(function () {
  "use strict";
  var COLORS = { relais: "#b3261e", structure: "#1b5e7a", action: "#2e7d32" };

  function listItem(list, feature) {
    if (!list) { return; }
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = feature.url;
    a.textContent = feature.name;
    li.appendChild(a);
    if (feature.address) { li.appendChild(document.createTextNode(" — " + feature.address)); }
    list.appendChild(li);
  }

  function init(element) {
    if (typeof L === "undefined") { return; }
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView([45.44, 4.39], 11);
    // Zoom buttons named in French (Leaflet's default titles are English; they are the buttons' accessible names).
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);
    var tiles = element.getAttribute("data-tile-url");
    if (tiles) { L.tileLayer(tiles, { maxZoom: 19, attribution: "© contributeurs OpenStreetMap" }).addTo(map); }
    var list = document.getElementById("carte-liste");
    fetch(element.getAttribute("data-map-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var bounds = [];
        data.features.forEach(function (f) {
          var marker = L.circleMarker([f.lat, f.lon], { radius: f.type === "action" ? 6 : 8, color: COLORS[f.type] || "#333", weight: 2, fillOpacity: 0.7 });
          var link = document.createElement("a");
          link.href = f.url;
          link.textContent = f.name;
          marker.bindPopup(link);
          marker.addTo(map);
          bounds.push([f.lat, f.lon]);
          listItem(list, f);
        });
        if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 }); }
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map-url]").forEach(init);
  });
})();
