/**
 * The test servers' plumbing (test/helpers/servers.ts): readiness asked of the server, not read from
 * its coloured log; a server that fails to start is stopped; and a server a test forgot to stop
 * neither keeps the test process alive nor outlives it. A CI run once waited 90 minutes on a
 * `vite preview` whose readiness check looked for `127.0.0.1:<port>` in a log that CI=true had
 * coloured, and that nothing stopped after the check failed.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createServer } from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect } from "chai";
// @ts-expect-error plain JavaScript without declarations
import { run } from "../scripts/lib/run.mjs";
import { freePort, httpAnswers, rpcAnswers, startServer } from "./helpers/servers.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SERVERS = pathToFileURL(path.join(HERE, "helpers", "servers.ts")).href;

/** A Node HTTP server on 127.0.0.1:`port` that prints its address as vite does when CI=true. */
function colouredServer(port: number): string {
  return `
    require("node:http").createServer((req, res) => res.end("ok")).listen(${port}, "127.0.0.1", () =>
      console.log("  \\x1b[32m➜\\x1b[39m  Local: http://127.0.0.1:\\x1b[1m${port}\\x1b[22m/"));`;
}

/** Whether a process with this id is running (a zombie nobody reaped yet has ended). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true; // no /proc (macOS, Windows): kill(pid, 0) answered
  }
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe("test servers (test/helpers/servers.ts)", function () {
  this.timeout(60_000);

  it("is ready when the server answers, whatever colours its log has; output() has none", async function () {
    const port = await freePort();
    const server = await startServer({
      name: "coloured server",
      command: process.execPath,
      args: ["-e", colouredServer(port)],
      ready: () => httpAnswers(`http://127.0.0.1:${port}/`),
      timeoutMs: 20_000,
    });
    try {
      expect(server.output()).to.include(`http://127.0.0.1:${port}/`);
      expect(server.output()).to.not.include("\x1b[");
    } finally {
      await server.stop();
    }
    expect(alive(server.process.pid!), "stopped").to.equal(false);
  });

  it("stops a server that is not ready in time, and says what it printed", async function () {
    const port = await freePort();
    let pid: number | undefined;
    let error: Error | undefined;
    try {
      await startServer({
        name: "never ready",
        command: process.execPath,
        args: ["-e", `console.log("pid " + process.pid); ${colouredServer(port)}`],
        // Listens, but this check never passes (a wrong port, say).
        ready: async () => false,
        timeoutMs: 1500,
      });
    } catch (err) {
      error = err as Error;
      pid = Number(/pid (\d+)/.exec(error.message)?.[1]);
    }
    try {
      expect(error?.message).to.match(/^never ready was not ready in 1\.5 s:\n/);
      expect(pid, "its output is in the error").to.be.greaterThan(0);
      expect(await until(() => !alive(pid!), 15_000), "the server was stopped").to.equal(true);
    } finally {
      // Were it left running, it would hold this test process open: fail, do not hang.
      if (pid && alive(pid)) process.kill(pid, "SIGKILL");
    }
  });

  it("refuses a port another process listens on (it would answer for the server), starting nothing", async function () {
    const other = createServer((_, res) => res.end("not yours"));
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", () => r()));
    const { port } = other.address() as { port: number };
    let ran = false;
    let error: Error | undefined;
    try {
      await startServer({
        name: "late server",
        command: process.execPath,
        args: ["-e", colouredServer(port)],
        ready: async () => {
          ran = true;
          return httpAnswers(`http://127.0.0.1:${port}/`);
        },
        port,
      }).catch((err: Error) => (error = err));
    } finally {
      await new Promise((r) => other.close(r));
    }
    expect(error?.message).to.equal(
      `late server: port ${port} of 127.0.0.1 is in use by another process`,
    );
    expect(ran, "no readiness check ran").to.equal(false);
  });

  it("ends at the time limit when the readiness check itself hangs", async function () {
    const started = Date.now();
    let pid: number | undefined;
    let error: Error | undefined;
    try {
      await startServer({
        name: "silent server",
        command: process.execPath,
        args: ["-e", 'console.log("pid " + process.pid); setInterval(() => {}, 1000)'],
        ready: () => new Promise<boolean>(() => {}), // accepted, never answered
        timeoutMs: 1000,
      });
    } catch (err) {
      error = err as Error;
      pid = Number(/pid (\d+)/.exec(error.message)?.[1]);
    }
    try {
      expect(error?.message).to.match(/^silent server was not ready in 1 s:\n/);
      expect(Date.now() - started, "not held by the check").to.be.lessThan(15_000);
      expect(await until(() => !alive(pid!), 15_000), "the server was stopped").to.equal(true);
    } finally {
      if (pid && alive(pid)) process.kill(pid, "SIGKILL");
    }
  });

  it("says so when the server exits before it is ready", async function () {
    let error: Error | undefined;
    await startServer({
      name: "crashing server",
      command: process.execPath,
      args: ["-e", 'console.error("no such config"); process.exit(3)'],
      ready: async () => false,
      timeoutMs: 20_000,
    }).catch((err: Error) => (error = err));
    expect(error?.message).to.match(/^crashing server exited \(3\):\nno such config/);
  });

  it("a server a test forgot to stop neither keeps the test process alive nor outlives it", async function () {
    const port = await freePort();
    // A process that starts a server and ends its work without stopping it, as a failed hook would.
    const script = `
      const { startServer, httpAnswers } = await import(${JSON.stringify(SERVERS)});
      const server = await startServer({
        name: "forgotten", command: process.execPath, args: ["-e", ${JSON.stringify(colouredServer(port))}],
        ready: () => httpAnswers("http://127.0.0.1:${port}/"),
      });
      console.log("server " + server.process.pid);`;
    const child = spawn(
      process.execPath,
      ["--import", import.meta.resolve("tsx/esm"), "--input-type=module", "-e", script],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 30_000);
      child.once("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code, `the process ended by itself:\n${out}`).to.equal(0);
    const pid = Number(/server (\d+)/.exec(out)?.[1]);
    expect(pid, out).to.be.greaterThan(0);
    expect(await until(() => !alive(pid), 15_000), "the server ended with it").to.equal(true);
  });

  it("asks a JSON-RPC node for its chain id", async function () {
    const port = await freePort();
    const rpc = await startServer({
      name: "rpc",
      command: process.execPath,
      args: [
        "-e",
        `require("node:http").createServer((req, res) => {
           let body = ""; req.on("data", (d) => (body += d));
           req.on("end", () => res.end(JSON.stringify({ jsonrpc: "2.0", id: JSON.parse(body).id, result: "0x7a69" })));
         }).listen(${port}, "127.0.0.1");`,
      ],
      ready: () => rpcAnswers(`http://127.0.0.1:${port}`),
      timeoutMs: 20_000,
    });
    try {
      expect(await rpcAnswers(`http://127.0.0.1:${port}`)).to.equal(true);
    } finally {
      await rpc.stop();
    }
    await expectRejected(rpcAnswers(`http://127.0.0.1:${port}`));
  });
});

describe("npm test's time limit (scripts/lib/run.mjs)", function () {
  it("stops a command that runs past its limit and says it timed out", async function () {
    const started = Date.now();
    const result = await run([process.execPath, ["-e", "setInterval(() => {}, 1000)"]], {
      capture: true,
      timeoutMs: 500,
    });
    expect(result.timedOut).to.equal(true);
    expect(result.code).to.equal(1);
    expect(Date.now() - started).to.be.lessThan(10_000);
  });

  it("leaves a command that ends in time alone", async function () {
    const result = await run([process.execPath, ["-e", "process.exit(0)"]], {
      capture: true,
      timeoutMs: 30_000,
    });
    expect(result).to.deep.include({ code: 0, timedOut: false });
  });
});

async function expectRejected(p: Promise<unknown>): Promise<void> {
  let rejected = false;
  await p.catch(() => (rejected = true));
  expect(rejected, "nothing listens any more").to.equal(true);
}
