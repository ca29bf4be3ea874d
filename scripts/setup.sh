#!/usr/bin/env bash
# Installs what building and testing Parcours needs, skipping every step already done.
# A cold install takes about 12 minutes on 2 cores (mostly compiling Trunk and wasm-bindgen-cli),
# a warm one a few seconds. Usage: scripts/setup.sh [build|browser|lrs|all]
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
AXE_VERSION=4.11.0
# The SCORM 1.2 runtime LMSs embed, used by the tests as the LMS around the player.
SCORM_AGAIN_VERSION=3.4.3
# The reference cmi5 AU library: the tests compare what the player sends with what it sends.
XAPI_CMI5_VERSION=1.4.0
RALPH_VERSION=5.1.0
# The second LRS of the end-to-end tests: an xAPI 2.0 LRS on PostgreSQL (crates.io; 0.3.x needs a
# newer Rust than the machine's).
XAPI_RS_VERSION=0.2.0
MATURIN_VERSION=1.16.0
TOOLS_DIR=.tools

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

need_apt() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}

setup_build() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (several minutes)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  local wbg; wbg=$(locked_wasm_bindgen_version)
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
    say "installing wasm-bindgen-cli $wbg (several minutes)"
    # Not --locked: a dependency pinned in its lockfile is not served by the registry mirror.
    cargo install wasm-bindgen-cli --version "$wbg" --force
  fi
  # Debian's wasm-opt (binaryen 108) silently produces a blank page: use binaryen 132 from npm.
  if [ "$("$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "$BINARYEN_VERSION" ]; then
    command -v npm >/dev/null || need_apt nodejs npm
    say "installing wasm-opt (binaryen@$BINARYEN_VERSION from npm)"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
  fi
  # sed the version into Trunk.toml's pin so a wrong tool fails loudly instead of being downloaded.
  local pinned; pinned=$(sed -n 's/^wasm_bindgen = "\(.*\)"/\1/p' Trunk.toml)
  if [ "$pinned" != "$wbg" ]; then
    echo "Trunk.toml pins wasm_bindgen = \"$pinned\" but Cargo.lock has $wbg: update Trunk.toml" >&2
    exit 1
  fi
}

setup_browser() {
  need_apt chromium chromium-driver
  # The documented nginx recipe is checked with Debian's nginx (tests/e2e/test_deploying.py).
  need_apt nginx-light openssl
  # axe-core, the accessibility rules engine the end-to-end tests inject into pages.
  if [ "$(node -p "require('./$TOOLS_DIR/node_modules/axe-core/package.json').version" 2>/dev/null)" != "$AXE_VERSION" ]; then
    command -v npm >/dev/null || need_apt nodejs npm
    say "installing axe-core@$AXE_VERSION from npm"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
  fi
  if [ "$(node -p "require('./$TOOLS_DIR/node_modules/scorm-again/package.json').version" 2>/dev/null)" != "$SCORM_AGAIN_VERSION" ]; then
    command -v npm >/dev/null || need_apt nodejs npm
    say "installing scorm-again@$SCORM_AGAIN_VERSION from npm"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "scorm-again@$SCORM_AGAIN_VERSION"
  fi
  if [ "$(node -p "require('./$TOOLS_DIR/node_modules/@xapi/cmi5/package.json').version" 2>/dev/null)" != "$XAPI_CMI5_VERSION" ]; then
    command -v npm >/dev/null || need_apt nodejs npm
    say "installing @xapi/cmi5@$XAPI_CMI5_VERSION from npm"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "@xapi/cmi5@$XAPI_CMI5_VERSION"
  fi
}

setup_lrs() {
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import ralph, selenium, pytest, requests, brotli' 2>/dev/null; then
    say "creating the Python venv (Ralph LRS $RALPH_VERSION, selenium, pytest)"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check \
      "ralph-malph[cli,lrs]==$RALPH_VERSION" requests "selenium>=4.20,<5" "pytest>=8,<9" "brotli>=1.1,<2"
  fi
  # xapi-rs keeps its statements in PostgreSQL: the tests start a cluster of their own (Debian's server).
  need_apt postgresql libssl-dev pkg-config
  if ! grep -qs "^\"xapi-rs $XAPI_RS_VERSION " "$TOOLS_DIR/xapi-rs/.crates.toml"; then
    say "installing xapi-rs $XAPI_RS_VERSION, the xAPI 2.0 LRS of the tests (about 4 minutes)"
    cargo install xapi-rs --version "$XAPI_RS_VERSION" --locked --root "$TOOLS_DIR/xapi-rs"
  fi
}

# `make release` packs the wheel with maturin (from PyPI, into the same venv).
setup_release() {
  setup_lrs
  if ! .venv/bin/maturin --version 2>/dev/null | grep -q "^maturin $MATURIN_VERSION$"; then
    say "installing maturin $MATURIN_VERSION (the PyPI wheel's builder)"
    .venv/bin/pip install --quiet --disable-pip-version-check "maturin==$MATURIN_VERSION"
  fi
  command -v npm >/dev/null || need_apt nodejs npm
  # The Windows build (mingw-w64), and wine to run it in the tests.
  if ! rustup target list --installed | grep -qx x86_64-pc-windows-gnu; then
    say "adding the Windows target (x86_64-pc-windows-gnu)"
    rustup target add x86_64-pc-windows-gnu
  fi
  need_apt gcc-mingw-w64-x86-64 wine64
}

case "${1:-all}" in
  build) setup_build ;;
  release) setup_release ;;
  browser) setup_browser ;;
  lrs) setup_lrs ;;
  all) setup_build; setup_browser; setup_lrs; setup_release ;;
  *) echo "usage: $0 [build|browser|lrs|release|all]" >&2; exit 2 ;;
esac
