#!/usr/bin/env node
// `check lockfile` (npm test): the install works on every OS and CPU.
// - package.json states the Node it needs (`engines.node`), and the lockfile agrees with it;
// - no package restricted to some platforms (`os`, `cpu`, `libc`) is installed unconditionally:
//   npm ci stops with EBADPLATFORM everywhere else. Such a package must be optional (reachable only
//   through optionalDependencies), as EDR's and esbuild's per-platform binaries are;
// - every optional dependency is recorded, so each platform finds its own binary (a lockfile is
//   left incomplete when some platform packages are missing from the registry, as EDR 0.22's were).
// Usable alone: `node scripts/check-lockfile.mjs [dir]`.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Every reason the lockfile in `dir` would break an install somewhere; empty when it is sound. */
export function lockfileProblems(dir) {
  const problems = [];
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8"));

  const engine = pkg.engines && pkg.engines.node;
  if (typeof engine !== "string" || engine.trim() === "") {
    problems.push('package.json has no "engines": { "node": "…" }');
  }
  const packages = lock.packages;
  if (!packages || typeof packages !== "object") {
    problems.push(`package-lock.json has no "packages" (lockfileVersion ${lock.lockfileVersion})`);
    return problems;
  }
  const rootEngine = packages[""] && packages[""].engines && packages[""].engines.node;
  if (engine && rootEngine !== engine) {
    problems.push(
      `package-lock.json records engines.node ${JSON.stringify(rootEngine)}, package.json says ` +
        `${JSON.stringify(engine)}: regenerate the lockfile (npm run setup -- install)`,
    );
  }

  for (const [path, entry] of Object.entries(packages)) {
    if (path === "") continue;
    const limits = ["os", "cpu", "libc"]
      .filter((key) => entry[key] !== undefined)
      .map((key) => `${key} ${[].concat(entry[key]).join(",")}`);
    if (limits.length > 0 && entry.optional !== true) {
      problems.push(
        `${path}@${entry.version} is limited to ${limits.join(", ")} but is not optional: ` +
          "npm ci fails with EBADPLATFORM everywhere else (list it only under optionalDependencies, " +
          "or not at all)",
      );
    }
    for (const name of Object.keys(entry.optionalDependencies || {})) {
      if (resolveIn(packages, path, name) === null) {
        problems.push(
          `${path}@${entry.version}: optional dependency ${name} is not in the lockfile, so no ` +
            "machine of that platform can install it",
        );
      }
    }
  }
  return problems;
}

// Where Node would find `name` from the package at `from` (e.g. node_modules/a/node_modules/b).
function resolveIn(packages, from, name) {
  let base = from;
  for (;;) {
    const candidate = `${base === "" ? "" : `${base}/`}node_modules/${name}`;
    if (packages[candidate] !== undefined) return candidate;
    if (base === "") return null;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut === -1 ? "" : base.slice(0, cut);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = resolve(process.argv[2] || join(fileURLToPath(import.meta.url), "..", ".."));
  const problems = lockfileProblems(dir);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exitCode = 1;
  else
    console.log(
      "lockfile: engines stated; platform-specific packages all optional and all recorded",
    );
}
