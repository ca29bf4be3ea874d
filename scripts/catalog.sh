#!/bin/sh
# Trunk post-build hook: writes the catalog index of the courses copied into the build, and the
# page's Content-Security-Policy (the hashes of its inline scripts, which Trunk has just written).
set -eu
cargo run --quiet --release --bin parcours -- catalog courses -o "$TRUNK_STAGING_DIR/courses/index.json"
cargo run --quiet --release --bin parcours -- csp "$TRUNK_STAGING_DIR/index.html"
