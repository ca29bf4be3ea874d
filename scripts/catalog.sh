#!/bin/sh
# Trunk post-build hook: writes the catalog index of the courses copied into the build, and the
# page's Content-Security-Policy (the hashes of its inline scripts, which Trunk has just written).
set -eu
# The debug binary: the release one is built after Trunk, once, and embeds the player (build.rs).
# Relinking it here (during `make run`'s `trunk serve`, say) would embed a half-built player.
cargo run --quiet --bin parcours -- catalog courses -o "$TRUNK_STAGING_DIR/courses/index.json"
cargo run --quiet --bin parcours -- csp "$TRUNK_STAGING_DIR/index.html"
