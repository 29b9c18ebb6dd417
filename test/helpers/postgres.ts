/**
 * A throwaway PostgreSQL server for tests: Debian's binaries (/usr/lib/postgresql/<v>/bin), a data
 * directory in the system's temp folder, listening on 127.0.0.1 only (and a Unix socket inside the
 * data directory), trust authentication. PostgreSQL refuses to run as root, so as root the server runs
 * as the `postgres` user, which owns the data directory. `stop()` stops it (fast mode) and deletes it.
 */
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../scripts/lib/indexer.js";

const run = promisify(execFile);

export interface Postgres {
  url: string;
  stop(): Promise<void>;
}

/** The newest installed server's bin folder, or undefined when PostgreSQL's server is absent. */
export function postgresBin(): string | undefined {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? undefined : path.join(base, versions[0]!, "bin");
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  if (bin === undefined) throw new Error("PostgreSQL's server is not installed");
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "workescrow-pg-"));
  const data = path.join(dir, "data");
  let uid: number | undefined;
  let gid: number | undefined;
  if (root) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: g } = await run("id", ["-g", "postgres"]);
    uid = Number(stdout.trim());
    gid = Number(g.trim());
    chownSync(dir, uid, gid);
  }
  // As root: the same command as the postgres user (runuser keeps the arguments as they are).
  const as = (cmd: string, args: string[]) =>
    root ? run("runuser", ["-u", "postgres", "--", cmd, ...args]) : run(cmd, args);
  const port = await freePort();
  try {
    await as(path.join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
    await as(path.join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      path.join(dir, "server.log"),
      "-o",
      `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=200`,
      "-w",
      "start",
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await as(path.join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
