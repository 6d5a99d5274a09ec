// The timeline page: events and dated relations on a zoomable axis. Each item spans the period
// its date names (a month, a year, a decade); a day is a point. Yearless dates are listed apart.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("timeline-data").textContent);
  var items = data.items.map(function (i) {
    var content = document.createElement("span");
    content.textContent = i.date + " " + i.label;  // text, never HTML from a document
    // vis-timeline renders a string title as HTML: give it an element holding text
    var tip = document.createElement("span");
    tip.textContent = i.date + " — " + i.label + " [" + i.support + "]";
    var item = { id: i.id, content: content, start: i.start, title: tip,
                 className: i.kind + " " + i.precision, link: i.link };
    if (i.precision === "day") {
      item.type = "point";
    } else {
      item.end = i.end;
      item.type = "range";
    }
    return item;
  });
  var container = document.getElementById("timeline");
  var dataset = new vis.DataSet(items);
  var timeline = new vis.Timeline(container, dataset, { stack: true, zoomMin: 1000 * 60 * 60 * 24 * 7,
                                                        maxHeight: 600, tooltip: { followMouse: true } });
  timeline.on("select", function (props) {
    var it = props.items.length ? dataset.get(props.items[0]) : null;
    if (it && it.link) window.location.href = it.link;
  });
  window.tesseraTimeline = timeline;
  window.tesseraTimelineItems = dataset;
})();
