#!/usr/bin/env bash
# `make release`: the artefacts a maintainer would publish, built and checked here, published nowhere.
#   target/release-artifacts/
#     parcours-<version>-<target>.tar.gz (+ .sha256)   the binary, the README and the licences
#     parcours-<version>-x86_64-pc-windows-gnu.zip (+ .sha256)   the same for Windows (mingw-w64)
#     parcours-<version>-py3-none-<platform>.whl       the PyPI wheel (maturin, `bin` bindings)
#     parcours-<version>.tgz, parcours-cli-linux-x64-<version>.tgz   the npm packages (npm pack)
# The version is Cargo.toml's, the one place it is written. `make dist` runs first: the binary
# embeds the player.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
target=$(rustc -vV | sed -n 's/^host: //p')
out=target/release-artifacts
rm -rf "$out"
mkdir -p "$out"

binary=target/release/parcours
# Trunk's hash is a 64-bit number in hex without leading zeros: up to 16 digits.
"$binary" --version | grep -q "(player [0-9a-f]\{1,16\})" || { echo "the release binary has no player: run make dist" >&2; exit 1; }

# The plain archive, with its SHA-256.
name="parcours-$version-$target"
stage=$(mktemp -d)
mkdir "$stage/$name"
cp "$binary" README.md LICENSE-MIT LICENSE-APACHE "$stage/$name/"
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
rm -rf "$stage"

# Windows: the same program for x86_64-pc-windows-gnu, cross-built with Debian's mingw-w64, in a zip
# (what Windows opens without another tool) with its SHA-256. macOS builds are made on a Mac.
windows=x86_64-pc-windows-gnu
cargo build --release --locked --quiet --target "$windows" --bin parcours
name="parcours-$version-$windows"
stage=$(mktemp -d)
mkdir "$stage/$name"
cp "target/$windows/release/parcours.exe" README.md LICENSE-MIT LICENSE-APACHE "$stage/$name/"
(cd "$stage" && python3 -m zipfile -c "$name.zip" "$name/")
mv "$stage/$name.zip" "$out/"
(cd "$out" && sha256sum "$name.zip" > "$name.zip.sha256")
rm -rf "$stage"

# The wheel: maturin builds the same release binary (already up to date) and packs it.
.venv/bin/maturin build --release --quiet --out "$out" >/dev/null

# The npm packages: the platform one carries the binary, the main one its launcher.
npm_stage="$out/npm"
mkdir -p "$npm_stage"
cp -r packaging/npm/parcours packaging/npm/cli-linux-x64 "$npm_stage/"
cp packaging/pypi/README.md "$npm_stage/parcours/README.md"
mkdir -p "$npm_stage/cli-linux-x64/bin"
cp "$binary" "$npm_stage/cli-linux-x64/bin/parcours"
sed -i "s/0.0.0-set-from-cargo/$version/g" "$npm_stage/parcours/package.json" "$npm_stage/cli-linux-x64/package.json"
for package in cli-linux-x64 parcours; do
  (cd "$out" && npm pack --silent "./npm/$package" >/dev/null)
done
rm -rf "$npm_stage"

ls -l "$out"
