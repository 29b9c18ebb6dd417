// Running the project's tools the same way on Linux, macOS and Windows: a package's bin is started
// as `<this node> <its JS entry>` (no shell, no .cmd shims, arguments passed as they are), and npm
// through its own entry point when `npm run` started us.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** `[command, args]` that runs bin `name` of package `pkg` (installed in node_modules) on this Node. */
export function bin(pkg, name, args = []) {
  const dir = join(root, "node_modules", pkg);
  const bins = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).bin;
  const entry = typeof bins === "string" ? bins : bins && bins[name];
  if (!entry) throw new Error(`${pkg} has no bin "${name}"`);
  return [process.execPath, [join(dir, entry), ...args]];
}

/** `[command, args]` for `npm <args>`. */
export function npm(args) {
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.c?js$/.test(cli)) return [process.execPath, [cli, ...args]];
  return process.platform === "win32" ? ["npm.cmd", args] : ["npm", args];
}

/** `[command, args]` for this Node itself. */
export function node(args) {
  return [process.execPath, args];
}

/**
 * Runs `[command, args]`; resolves to its exit code (1 when it could not start or was killed).
 * `capture: true` collects stdout and stderr, interleaved, into `output` instead of printing them.
 * `timeoutMs`: past it the command is sent SIGTERM (SIGKILL 15 s later) and `timedOut` is true.
 */
export function run(
  [command, args],
  { cwd = root, env = process.env, capture = false, timeoutMs } = {},
) {
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
      shell: command.endsWith(".cmd"),
    });
    if (capture) {
      child.stdout.on("data", (chunk) => chunks.push(chunk));
      child.stderr.on("data", (chunk) => chunks.push(chunk));
    }
    const output = () => Buffer.concat(chunks).toString("utf8");
    let timedOut = false;
    let killer;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGTERM");
            killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
          }, timeoutMs);
    const done = (result) => {
      clearTimeout(timer);
      clearTimeout(killer);
      resolve({ ...result, timedOut });
    };
    child.on("error", (err) => done({ code: 1, output: `${output()}${err.message}\n` }));
    child.on("close", (code) => done({ code: code ?? 1, output: output() }));
  });
}
