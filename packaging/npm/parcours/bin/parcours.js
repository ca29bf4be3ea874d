#!/usr/bin/env node
// Runs the `parcours` binary of this platform's package, installed beside this one through
// `optionalDependencies` (npm installs only the package whose `os` and `cpu` match), as biome
// and esbuild do. Arguments, input and output go straight through; the exit code comes back.
"use strict";
const { spawnSync } = require("child_process");

const platforms = { "linux x64": "@parcours/cli-linux-x64" };
const wanted = platforms[`${process.platform} ${process.arch}`];
if (!wanted) {
  console.error(`parcours: no build for ${process.platform} ${process.arch} yet; see the README for building from source.`);
  process.exit(1);
}
let binary;
try {
  binary = require.resolve(`${wanted}/bin/parcours`);
} catch {
  console.error(`parcours: the package ${wanted} is missing; reinstall parcours (npm may have skipped an optional dependency).`);
  process.exit(1);
}
const run = spawnSync(binary, process.argv.slice(2), { stdio: "inherit" });
if (run.error) {
  console.error(`parcours: could not run ${binary}: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status === null ? 1 : run.status);
