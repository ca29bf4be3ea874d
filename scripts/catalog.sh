#!/bin/sh
# Trunk post-build hook: writes the catalog index of the courses copied into the build.
set -eu
cargo run --quiet --release --bin parcours -- catalog courses -o "$TRUNK_STAGING_DIR/courses/index.json"
