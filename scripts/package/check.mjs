#!/usr/bin/env node
// The package as a dapp developer gets it (`npm test` runs these as named checks; dist/ must be built):
//
//   packProblems(root)       `npm pack`: what the tarball holds — the entry points, LICENSE, README,
//                            abi/*.json, the product contracts, the deployment records — and what it
//                            must not: test mocks, source maps, files its code imports but lacks; the
//                            viem, abi and deployments entries import no ethers; package.json fields.
//   consumerProblems(root)   two consumer projects install the tarball (from npm's cache where it can)
//                            and type-check, with `moduleResolution` nodenext and bundler, a file that
//                            imports every entry and the README's "Use it in a dapp" snippets, load
//                            every entry, and load the viem entry with ethers made unresolvable.
//
// `node scripts/package/check.mjs [pack|consumers]` runs one or both alone.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { npm as npmCommand } from "../lib/run.mjs";

const REQUIRED = [
  "package.json",
  "README.md",
  "LICENSE",
  "deployments.json",
  "dist/sdk/index.js",
  "dist/sdk/index.d.ts",
  "dist/sdk/viem/index.js",
  "dist/sdk/viem/index.d.ts",
  "dist/sdk/typechain.js",
  "dist/sdk/typechain.d.ts",
  "dist/sdk/deployments.js",
  "dist/abi/index.js",
  "dist/abi/index.d.ts",
  "abi/IWorkEscrow.json",
  "abi/WorkEscrow.json",
  "abi/WorkEscrowExtension.json",
  "abi/WorkEscrowForwarder.json",
  "abi/CommunityFund.json",
  "abi/CommitteeArbitrator.json",
  "abi/ERC792ArbitratorAdapter.json",
  "abi/ERC8004ValidationAdapter.json",
  "contracts/WorkEscrow.sol",
  "contracts/WorkEscrowExtension.sol",
  "contracts/interfaces/IWorkEscrow.sol",
  "contracts/arbitration/CommitteeArbitrator.sol",
  "contracts/verifiers/ERC8004ValidationAdapter.sol",
];
const FORBIDDEN = [
  [/mock/i, "a test mock"],
  [/\.map$/, "a source map"],
  [/^(test|scripts|tasks|deploy|gas|\.ci|examples)\//, "a development file"],
  [/(^|\/)\.env/, "an environment file"],
  [/typechain-types\/hardhat\.d\.ts$/, "Hardhat's typechain augmentation"],
];
/** Entries a viem (or plain) dapp loads: no ethers anywhere in what they import. */
const ETHERS_FREE = ["dist/sdk/viem/index.js", "dist/abi/index.js", "dist/sdk/deployments.js"];

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..");

function sh(command, args, options = {}) {
  const r = spawnSync(command, args, { encoding: "utf8", ...options });
  return {
    code: r.status ?? 1,
    stdout: r.stdout ?? "",
    out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? r.error.message : ""}`,
  };
}

function npm(args, cwd, env = {}) {
  const [command, prefix] = npmCommand(args);
  return sh(command, prefix, {
    cwd,
    env: { ...process.env, WORKESCROW_SKIP_PREPARE: "1", npm_config_loglevel: "error", ...env },
    shell: command.endsWith(".cmd"),
  });
}

/** Packs the package into a new temp dir: `{ dir, tarball, files }`. */
export function pack(root = repoRoot) {
  const dir = mkdtempSync(join(tmpdir(), "work-escrow-pack-"));
  const r = npm(["pack", "--json", "--pack-destination", dir], root);
  if (r.code !== 0) throw new Error(`npm pack failed:\n${r.out}`);
  const json = r.stdout.slice(r.stdout.indexOf("["), r.stdout.lastIndexOf("]") + 1);
  const [info] = JSON.parse(json);
  const tarball = join(dir, info.filename);
  const x = join(dir, "x");
  mkdirSync(x);
  // Relative names from the pack dir: GNU tar (Git Bash on Windows) reads a path "C:…" as a remote host "C".
  const untar = sh("tar", ["-xzf", info.filename, "-C", "x"], { cwd: dir });
  if (untar.code !== 0) throw new Error(`could not unpack ${tarball}: ${untar.out}`);
  return { dir, tarball, files: info.files.map((f) => f.path), unpacked: join(x, "package") };
}

/** Relative import specifiers of a JS or .d.ts file. */
function relativeImports(text) {
  const out = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g))
    out.push(m[1]);
  return out;
}

function bareImports(text) {
  const out = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^."'][^"']*)["']/g))
    out.push(m[1]);
  return out;
}

export function packProblems(root = repoRoot) {
  const problems = [];
  const { dir, files, unpacked } = pack(root);
  try {
    const have = new Set(files);
    for (const f of REQUIRED) if (!have.has(f)) problems.push(`the tarball lacks ${f}`);
    for (const f of files)
      for (const [re, what] of FORBIDDEN)
        if (re.test(f)) problems.push(`the tarball ships ${what}: ${f}`);
    for (const f of files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
      const text = readFileSync(join(unpacked, f), "utf8");
      if (/sourceMappingURL/.test(text)) problems.push(`${f} points to a source map`);
      for (const spec of relativeImports(text)) {
        const target = relative(unpacked, resolve(dirname(join(unpacked, f)), spec))
          .split(sep)
          .join("/");
        const candidates = f.endsWith(".d.ts")
          ? [target, target.replace(/\.js$/, ".d.ts"), `${target}.d.ts`, `${target}/index.d.ts`]
          : [target];
        if (!candidates.some((c) => have.has(c)))
          problems.push(`${f} imports ${spec}, which the tarball lacks`);
      }
    }
    // The viem, abi and deployments entries: no ethers in anything they load.
    for (const entry of ETHERS_FREE) {
      const seen = new Set();
      const queue = [entry];
      while (queue.length > 0) {
        const f = queue.pop();
        if (seen.has(f) || !have.has(f)) continue;
        seen.add(f);
        const text = readFileSync(join(unpacked, f), "utf8");
        for (const bare of bareImports(text))
          if (bare === "ethers" || bare.startsWith("ethers/") || bare.startsWith("hardhat"))
            problems.push(`${entry} loads ${bare} (through ${f}): it must not need ethers`);
        for (const spec of relativeImports(text))
          queue.push(
            relative(unpacked, resolve(dirname(join(unpacked, f)), spec))
              .split(sep)
              .join("/"),
          );
      }
    }
    const pkg = JSON.parse(readFileSync(join(unpacked, "package.json"), "utf8"));
    if (pkg.private) problems.push("package.json is private");
    if (pkg.license !== "MIT") problems.push(`package.json license is ${pkg.license}, not MIT`);
    for (const name of ["ethers", "viem", "@openzeppelin/contracts"]) {
      if (pkg.dependencies?.[name])
        problems.push(`${name} is a dependency: it must be a peer only`);
      if (!pkg.peerDependencies?.[name]) problems.push(`${name} is not a peerDependency`);
      if (!pkg.peerDependenciesMeta?.[name]?.optional)
        problems.push(`${name} is not an optional peer`);
    }
    // The typechain entry lists every product binding that Hardhat generated (mocks aside).
    const generated = readFileSync(join(root, "typechain-types", "index.ts"), "utf8");
    const shipped = readFileSync(join(unpacked, "dist/sdk/typechain.d.ts"), "utf8");
    for (const m of generated.matchAll(
      /export (?:type )?\{ (\w+) \} from '\.\/(?!mocks|factories\/mocks)/g,
    ))
      if (!new RegExp(`\\b${m[1]}\\b`).test(shipped))
        problems.push(`work-escrow/typechain lacks ${m[1]} (add it to sdk/typechain.ts)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The committed deployment records match the journals.
  const stale = sh(process.execPath, [join(here, "deployments.mjs"), "--check"], { cwd: root });
  if (stale.code !== 0) problems.push(stale.out.trim());
  return problems;
}

/** The README's "Use it in a dapp" code blocks whose first line is `// file: <name>.ts`. */
export function readmeSnippets(root = repoRoot) {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const start = readme.indexOf("## Use it in a dapp");
  if (start < 0) throw new Error('README.md has no "## Use it in a dapp" section');
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const out = {};
  for (const m of section.matchAll(/```ts\n\/\/ file: ([\w-]+\.ts)\n([\s\S]*?)```/g))
    out[m[1]] = m[2];
  return out;
}

const ENTRIES = `// Every entry of the package, as a dapp imports it.
import { EscrowClient, EscrowError, getDeployment, type JobView } from "work-escrow";
import { createJob, getJob, decodeEscrowError, iWorkEscrowAbi as viemAbi } from "work-escrow/viem";
import { iWorkEscrowAbi, workEscrowForwarderAbi, communityFundAbi } from "work-escrow/abi";
import { IWorkEscrow__factory, CommunityFund__factory, type IWorkEscrow } from "work-escrow/typechain";
import { DEPLOYMENTS, type Deployment } from "work-escrow/deployments";

const a: readonly unknown[] = iWorkEscrowAbi;
const b: typeof iWorkEscrowAbi = viemAbi;
// The as-const ABI keeps function names as literal types (what viem and wagmi infer from).
type Fn = Extract<(typeof iWorkEscrowAbi)[number], { type: "function" }>["name"];
const getJobName: Fn = "getJob";
export const used = [EscrowClient, EscrowError, getDeployment, createJob, getJob, decodeEscrowError,
  a, b, getJobName, workEscrowForwarderAbi, communityFundAbi, IWorkEscrow__factory, CommunityFund__factory, DEPLOYMENTS];
export type Used = [JobView, IWorkEscrow, Deployment];
`;

function tsconfig(resolution) {
  const module = resolution === "bundler" ? "esnext" : "nodenext";
  return JSON.stringify({
    compilerOptions: {
      lib: ["es2023"],
      module,
      moduleResolution: resolution,
      target: "es2022",
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    },
    include: ["src"],
  });
}

function version(root, name) {
  return JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;
}

/** Installs `specs` into a new consumer project in `dir` (npm's cache first). */
function install(dir, specs) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  const r = npm(
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--no-package-lock",
      ...specs,
    ],
    dir,
  );
  if (r.code !== 0) throw new Error(`npm install in ${dir} failed:\n${r.out}`);
}

export function consumerProblems(root = repoRoot) {
  const problems = [];
  const { dir, tarball } = pack(root);
  try {
    const snippets = readmeSnippets(root);
    for (const name of ["ethers.ts", "viem.ts"])
      if (!snippets[name])
        problems.push(`README "Use it in a dapp" has no \`// file: ${name}\` snippet`);
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const app = join(dir, "app");
    install(app, [tarball, `ethers@${version(root, "ethers")}`, `viem@${version(root, "viem")}`]);
    mkdirSync(join(app, "src"));
    writeFileSync(join(app, "src", "entries.ts"), ENTRIES);
    for (const [name, code] of Object.entries(snippets))
      writeFileSync(join(app, "src", name), code);
    for (const resolution of ["nodenext", "bundler"]) {
      writeFileSync(join(app, `tsconfig.${resolution}.json`), tsconfig(resolution));
      const r = sh(process.execPath, [tsc, "-p", `tsconfig.${resolution}.json`], { cwd: app });
      if (r.code !== 0)
        problems.push(`type-check with moduleResolution ${resolution}:\n${r.out.trim()}`);
    }
    // Runtime: every entry loads in Node (ESM).
    const load = sh(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `for (const e of ["work-escrow", "work-escrow/viem", "work-escrow/abi", "work-escrow/typechain", "work-escrow/deployments"]) await import(e);
         const { createRequire } = await import("node:module");
         createRequire(import.meta.url).resolve("work-escrow/abi/IWorkEscrow.json");`,
      ],
      { cwd: app },
    );
    if (load.code !== 0) problems.push(`loading the entries:\n${load.out.trim()}`);
    // A viem dapp without ethers: the viem, abi and deployments entries load with "ethers" made
    // unresolvable (a resolve hook), so none of them needs it at runtime.
    const hook = `export async function resolve(s, c, next) {
      if (s === "ethers" || s.startsWith("ethers/")) throw new Error("ethers is not installed");
      return next(s, c);
    }`;
    const register = `import { register } from "node:module"; register(${JSON.stringify(
      `data:text/javascript,${encodeURIComponent(hook)}`,
    )});`;
    const r = sh(
      process.execPath,
      [
        "--import",
        `data:text/javascript,${encodeURIComponent(register)}`,
        "--input-type=module",
        "-e",
        `const v = await import("work-escrow/viem"); await import("work-escrow/abi"); await import("work-escrow/deployments");
         if (typeof v.createJob !== "function" || v.iWorkEscrowAbi.length < 50) process.exit(2);
         try { await import("ethers"); process.exit(3); } catch {}
         try { await import("work-escrow"); process.exit(4); } catch {}`,
      ],
      { cwd: app },
    );
    if (r.code !== 0)
      problems.push(`work-escrow/viem without ethers (exit ${r.code}):\n${r.out.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const which = process.argv[2];
  const problems = [
    ...(which === undefined || which === "pack" ? packProblems() : []),
    ...(which === undefined || which === "consumers" ? consumerProblems() : []),
  ];
  for (const p of problems) console.error(p);
  process.exitCode = problems.length === 0 ? 0 : 1;
  if (problems.length === 0) console.log("package checks: ok");
}
