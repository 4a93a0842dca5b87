#!/usr/bin/env bash
# Refresh the vendored web assets from the npm registry at the pinned versions below.
# The app serves them itself, so the dashboard needs no internet access at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
VEGA=5.30.0 VEGA_LITE=5.21.0 VEGA_EMBED=6.26.0 WORLD_ATLAS=2.0.2
out=src/bluehelmet/web/static/vendor
tmp=$(mktemp -d)
(cd "$tmp" && npm pack --silent "vega@$VEGA" "vega-lite@$VEGA_LITE" "vega-embed@$VEGA_EMBED" "world-atlas@$WORLD_ATLAS" >/dev/null)
for p in "vega-$VEGA" "vega-lite-$VEGA_LITE" "vega-embed-$VEGA_EMBED" "world-atlas-$WORLD_ATLAS"; do
  mkdir -p "$tmp/$p" && tar -xzf "$tmp/$p.tgz" -C "$tmp/$p"
done
cp "$tmp/vega-$VEGA/package/build/vega.min.js" "$tmp/vega-lite-$VEGA_LITE/package/build/vega-lite.min.js" \
   "$tmp/vega-embed-$VEGA_EMBED/package/build/vega-embed.min.js" \
   "$tmp/world-atlas-$WORLD_ATLAS/package/countries-110m.json" \
   "$tmp/world-atlas-$WORLD_ATLAS/package/countries-50m.json" "$out/"
rm -rf "$tmp"
echo "vega $VEGA, vega-lite $VEGA_LITE, vega-embed $VEGA_EMBED, world-atlas $WORLD_ATLAS -> $out"
