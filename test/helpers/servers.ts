/**
 * The servers tests start as separate processes (`hardhat node`, `vite preview`): one way to start
 * them, to know they are ready and to stop them, whatever a test does.
 *
 * - **Ready is asked of the server itself** (a JSON-RPC call, an HTTP request), never read from its
 *   log: logs change with versions and with colours, and `CI=true` turns colours on (vite then
 *   prints `127.0.0.1:` and the port with an escape code between them; a readiness check that
 *   looked for the text waited for ever on CI). A port already in use is refused before the start
 *   (its owner would answer), and a check that hangs still ends at the time limit.
 * - **A server that fails to start is stopped** before the error is thrown: the caller never got a
 *   handle to stop it with.
 * - **No server outlives the test process or keeps it alive.** Once ready, a server's process and
 *   pipes no longer hold Node's event loop, and whatever is still running when the process exits,
 *   or is stopped by SIGINT or SIGTERM, is stopped with it. A test whose `after` hook never ran
 *   cannot leave `npm test` waiting.
 *
 * Each server gets its own process group (not on Windows), so stopping it ends what it started too.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { ROOT, portIsFree } from "../../scripts/lib/indexer.js";

export { freePort } from "../../scripts/lib/indexer.js";

const require = createRequire(import.meta.url);
/** Hardhat's CLI entry, run with this Node (as `npx hardhat` does). */
export const HARDHAT_CLI = path.join(
  path.dirname(require.resolve("hardhat/package.json")),
  "dist/src/cli.js",
);

const GROUPS = process.platform !== "win32";

export interface Server {
  /** the process (the leader of its process group) */
  process: ChildProcess;
  /** what the server printed so far, stdout and stderr interleaved, without colour codes */
  output(): string;
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves once it has exited */
  stop(graceMs?: number): Promise<void>;
}

export interface ServerOptions {
  /** the name errors use ("hardhat node") */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** true once the server serves; asked every 200 ms until then (an error counts as not yet) */
  ready: () => Promise<boolean>;
  /** how long it may take to become ready, in milliseconds (default 120,000) */
  timeoutMs?: number;
  /**
   * The 127.0.0.1 port it will listen on: refused at once when something listens there already,
   * since that process, not this server, would answer `ready()`.
   */
  port?: number;
}

const running = new Set<ChildProcess>();

/** `sig` to the child's process group, or to the child alone when it leads none (or on Windows). */
function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  if (GROUPS && child.pid !== undefined) {
    try {
      process.kill(-child.pid, sig);
      return;
    } catch {
      /* not a group leader (started without `detached`), or gone */
    }
  }
  try {
    child.kill(sig);
  } catch {
    /* already gone */
  }
}

let hooked = false;
function hookProcessExit(): void {
  if (hooked) return;
  hooked = true;
  // process.kill is synchronous, so this works in an "exit" listener.
  process.once("exit", () => {
    for (const child of running) signal(child, "SIGTERM");
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      for (const child of running) signal(child, "SIGTERM");
      process.exit(sig === "SIGINT" ? 130 : 143);
    });
  }
}

/** Starts a server and resolves once `ready()` says so; on any failure it is stopped first. */
export async function startServer(o: ServerOptions): Promise<Server> {
  if (o.port !== undefined && !(await portIsFree("127.0.0.1", o.port))) {
    throw new Error(`${o.name}: port ${o.port} of 127.0.0.1 is in use by another process`);
  }
  hookProcessExit();
  const child = spawn(o.command, o.args, {
    cwd: o.cwd ?? ROOT,
    env: o.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: GROUPS,
  });
  running.add(child);
  let out = "";
  const keep = (d: string) => (out += d);
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding("utf8"); // a character split across two chunks stays whole
    stream.on("data", keep);
  }
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      running.delete(child);
      resolve();
    });
    child.once("error", (err) => {
      out += `${err.message}\n`;
      running.delete(child);
      resolve();
    });
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null || !running.has(child);
  const output = () => stripVTControlCharacters(out);
  const server: Server = {
    process: child,
    output,
    async stop(graceMs = 10_000) {
      if (gone()) return;
      signal(child, "SIGTERM");
      const timer = setTimeout(() => signal(child, "SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };

  const timeoutMs = o.timeoutMs ?? 120_000;
  const until = Date.now() + timeoutMs;
  for (;;) {
    // A check that hangs (a server that accepts and never answers) still ends at the time limit.
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      o.ready().catch(() => false),
      new Promise<false>(
        (r) => (timer = setTimeout(() => r(false), Math.max(0, until - Date.now()))),
      ),
    ]);
    clearTimeout(timer);
    // Checked after the answer too: another process on the port may answer for a server that died.
    if (gone()) {
      throw new Error(`${o.name} exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    if (answered) break;
    if (Date.now() >= until) {
      await server.stop();
      throw new Error(`${o.name} was not ready in ${timeoutMs / 1000} s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // Ready: from now on only the tests' own requests keep the process alive.
  child.unref();
  (child.stdout as Socket).unref();
  (child.stderr as Socket).unref();
  return server;
}

/**
 * Takes a server started elsewhere (a launcher of the project's own, such as scripts/lib/indexer.ts's
 * `startApi`, in its own process group on Linux and macOS) under the same rule: it no longer keeps
 * this process alive, and it is stopped when this process exits. Its owner still stops it.
 */
export function adopt(child: ChildProcess): void {
  hookProcessExit();
  if (child.exitCode !== null || child.signalCode !== null) return;
  running.add(child);
  child.once("exit", () => running.delete(child));
  child.unref();
  (child.stdout as Socket | null)?.unref();
  (child.stderr as Socket | null)?.unref();
}

/** Whether a JSON-RPC node answers `eth_chainId` at `url`. */
export async function rpcAnswers(url: string): Promise<boolean> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) return false;
  const body = (await response.json()) as { result?: unknown };
  return typeof body.result === "string";
}

/** Whether an HTTP server answers `url` with a status below 500. */
export async function httpAnswers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  await response.arrayBuffer();
  return response.status < 500;
}

/** `hardhat node` on 127.0.0.1:`port` (this project's config), ready once it answers JSON-RPC. */
export function startHardhatNode(port: number, env?: NodeJS.ProcessEnv): Promise<Server> {
  const url = `http://127.0.0.1:${port}`;
  return startServer({
    name: "hardhat node",
    command: process.execPath,
    args: [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    env,
    ready: () => rpcAnswers(url),
    port,
  });
}
