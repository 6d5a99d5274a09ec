// The network page: entities as nodes, relations as edges (typed and coloured by predicate,
// thick by supporting documents). Filters re-query /network.json; a click on an edge shows its
// evidence from /relation/<id>.json, a click on a node opens the entity's page.
(function () {
  "use strict";
  var COLOURS = {
    founded_by: "#1b9e77", led_by: "#d95f02", spokesperson_of: "#7570b3", member_of: "#e7298a",
    succeeded: "#66a61e", allied_with: "#1f78b4", pledged_allegiance_to: "#e6ab02",
    based_in: "#a6761d", aims_to_overthrow: "#e31a1c", designated_terrorist_by: "#555555"
  };
  var SHAPES = { organization: "round-rectangle", person: "ellipse", location: "triangle" };
  document.querySelectorAll(".swatch[data-predicate]").forEach(function (s) {
    s.style.background = COLOURS[s.dataset.predicate] || "#999";
  });

  function elements(data) {
    var nodes = data.nodes.map(function (n) {
      return { group: "nodes", data: { id: n.id, label: n.name, type: n.type, degree: n.degree,
        size: 14 + Math.min(30, 4 * Math.sqrt(n.mentions)) } };
    });
    var edges = data.edges.map(function (e) {
      return { group: "edges", data: { id: e.id, source: e.source, target: e.target, predicate: e.predicate,
        label: e.label, support: e.support, colour: COLOURS[e.predicate] || "#999",
        width: 1 + Math.min(8, 1.5 * e.support) } };
    });
    return nodes.concat(edges);
  }

  function layout(n) {
    // force-directed for readable small graphs; concentric by degree stays fast at thousands of nodes
    return n <= 300 ? { name: "cose", animate: false, randomize: true, nodeRepulsion: 8000, idealEdgeLength: 90 }
                    : { name: "concentric", animate: false, concentric: function (node) { return node.data("degree"); },
                        levelWidth: function () { return 2; }, minNodeSpacing: 4 };
  }

  var data = JSON.parse(document.getElementById("network-data").textContent);
  var cy = cytoscape({
    container: document.getElementById("cy"),
    elements: elements(data),
    layout: layout(data.nodes.length),
    minZoom: 0.05, maxZoom: 4, pixelRatio: 1,
    hideEdgesOnViewport: data.nodes.length > 500, textureOnViewport: data.nodes.length > 500,
    style: [
      { selector: "node", style: { label: "data(label)", width: "data(size)", height: "data(size)",
        "font-size": 10, "min-zoomed-font-size": 7, "text-valign": "bottom", "text-margin-y": 2,
        "background-color": "#4a6fa5", shape: function (n) { return SHAPES[n.data("type")] || "ellipse"; } } },
      { selector: "node[type = 'person']", style: { "background-color": "#c0504d" } },
      { selector: "node[type = 'location']", style: { "background-color": "#6b8e23" } },
      { selector: "edge", style: { width: "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle", "curve-style": "bezier", opacity: 0.8 } },
      { selector: "edge:selected", style: { label: "data(label)", "font-size": 9, opacity: 1, "z-index": 10 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#222" } }
    ]
  });
  window.tesseraGraph = cy;

  var panel = document.getElementById("edge-panel");

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  function showRelation(id) {
    panel.textContent = "loading…";
    fetch("/relation/" + encodeURIComponent(id) + ".json").then(function (r) { return r.json(); }).then(function (d) {
      var r = d.relation;
      panel.textContent = "";
      var h = document.createElement("h2");
      var link = text("a", r.subject.name + " " + r.label + " " + (r.value || (r.other && r.other.name) || "?"));
      link.href = "/relation/" + encodeURIComponent(r.id);
      h.appendChild(link);
      panel.appendChild(h);
      panel.appendChild(text("p", (r.date ? r.date + " · " : "") + (r.ended ? "former · " : "") +
        r.support + " document" + (r.support === 1 ? "" : "s"), "muted"));
      r.evidence.forEach(function (e) {
        var q = document.createElement("blockquote");
        q.className = "quote";
        q.appendChild(text("p", "\u201c" + e.quote + "\u201d"));
        var foot = document.createElement("footer");
        var a = text("a", e.document.origin);
        a.href = "/document/" + encodeURIComponent(e.document.id) + "?hl=" + e.start + "-" + e.end + "#hl";
        foot.appendChild(a);
        if (e.attributed_to) foot.appendChild(text("span", " · according to " + e.attributed_to, "who"));
        if (e.hedge) foot.appendChild(text("span", " · hedged: " + e.hedge, "hedge"));
        q.appendChild(foot);
        panel.appendChild(q);
      });
    });
  }

  cy.on("tap", "node", function (evt) { window.location.href = "/entity/" + encodeURIComponent(evt.target.id()); });
  cy.on("tap", "edge", function (evt) { showRelation(evt.target.id()); });

  document.getElementById("network-filters").addEventListener("submit", function (evt) {
    evt.preventDefault();
    var params = new URLSearchParams(new FormData(evt.target));
    if (evt.target.querySelector("input[name=undated][type=checkbox]").checked) params.delete("undated");
    fetch("/network.json?" + params.toString()).then(function (r) { return r.json(); }).then(function (d) {
      cy.elements().remove();
      cy.add(elements(d));
      cy.layout(layout(d.nodes.length)).run();
      document.getElementById("network-note").textContent = d.note;
      history.replaceState(null, "", "/network?" + params.toString());
    });
  });
})();
