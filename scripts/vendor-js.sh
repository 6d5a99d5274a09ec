#!/usr/bin/env bash
# Re-fetch the JavaScript libraries the web workbench uses from the npm registry and copy the
# browser builds, with their licences, into src/tessera/web/static/vendor/ (committed, so pages
# work with no network and `make demo` / `make test` need no npm). Run: make vendor-js
set -euo pipefail
cd "$(dirname "$0")/.."
CYTOSCAPE=${CYTOSCAPE:-3.35.0}
VIS_TIMELINE=${VIS_TIMELINE:-8.5.4}
OUT=src/tessera/web/static/vendor
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
    "cytoscape@$CYTOSCAPE" "vis-timeline@$VIS_TIMELINE")
M="$TMP/node_modules"
mkdir -p "$OUT/cytoscape" "$OUT/vis-timeline"
cp "$M/cytoscape/dist/cytoscape.min.js" "$M/cytoscape/LICENSE" "$OUT/cytoscape/"
cp "$M/vis-timeline/standalone/umd/vis-timeline-graph2d.min.js" "$M/vis-timeline/styles/vis-timeline-graph2d.min.css" \
   "$M/vis-timeline/LICENSE.md" "$M/vis-timeline/LICENSE.Apache-2.0.txt" "$M/vis-timeline/LICENSE.MIT.txt" \
   "$OUT/vis-timeline/"
# the standalone build bundles moment, vis-data and vis-util: keep their licences beside it
for dep in moment vis-data vis-util; do
    for f in "$M/$dep"/LICENSE*; do cp "$f" "$OUT/vis-timeline/$dep-$(basename "$f")"; done
done
# drop the source-map comments: the maps are not vendored
sed -i '/^\/\/# sourceMappingURL=/d' "$OUT/cytoscape/cytoscape.min.js" "$OUT/vis-timeline/vis-timeline-graph2d.min.js"
sed -i 's#/\*\# sourceMappingURL=[^*]*\*/##' "$OUT/vis-timeline/vis-timeline-graph2d.min.css"
cat > "$OUT/VERSIONS" <<NOTE
# JavaScript vendored from the npm registry by scripts/vendor-js.sh (make vendor-js); do not edit by hand.
cytoscape $(node -p "require('$M/cytoscape/package.json').version")  dist/cytoscape.min.js  (MIT, cytoscape/LICENSE)
vis-timeline $(node -p "require('$M/vis-timeline/package.json').version")  standalone/umd/vis-timeline-graph2d.min.js, styles/vis-timeline-graph2d.min.css  (Apache-2.0 or MIT, vis-timeline/LICENSE*; bundles moment, vis-data, vis-util)
NOTE
echo "vendored into $OUT:"; cat "$OUT/VERSIONS"
