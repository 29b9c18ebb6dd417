/**
 * Indexer benchmark: `npm run bench:api` (README "API"). On a fresh `hardhat node` (127.0.0.1) with
 * the Ignition deployment it creates BENCH_JOBS jobs (default 10,000) and takes each through
 * accept → submit → release (4 events a job: JobCreated, JobAccepted, WorkSubmitted, and JobReleased,
 * which also credits the fees), BENCH_TXS_PER_BLOCK transactions a block (default 100: automine off,
 * one JSON-RPC batch a block, evm_mine), then 64 empty blocks so that all of it is final. Then it
 * starts the indexer on that history and measures:
 *   1. catch-up: events per second from the API answering to the last block indexed;
 *   2. latency of GET /jobs?provider=<one of 8 providers> and GET /statistics/escrows under
 *      BENCH_CLIENTS concurrent clients (default 50) on loopback, BENCH_REQUESTS requests per route
 *      (default 2,000): p50, p95, p99, throughput.
 * and writes indexer/bench/report.md. PostgreSQL instead of PGlite: set DATABASE_URL. Everything it
 * starts binds 127.0.0.1 and is stopped at the end (also on failure).
 */
import { execSync } from "node:child_process";
import http from "node:http";
import { cpus, freemem, loadavg, totalmem, tmpdir } from "node:os";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import prettier from "prettier";
import { Interface, JsonRpcProvider, id as hashText, parseEther, toBeHex } from "ethers";
import {
  INDEXER_DIR,
  ROOT,
  freePort,
  schemaFor,
  startApi,
  type RunningApi,
} from "../../scripts/lib/indexer.js";
import { IWorkEscrow__factory } from "../../typechain-types/index.js";
import { startLocalChain, type LocalChain } from "../../test/helpers/localChain.js";

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const PER_BLOCK = Number(process.env.BENCH_TXS_PER_BLOCK ?? 100);
const NATIVE = "0x0000000000000000000000000000000000000000";
const ARBITRATOR = 3; // localhost.json
const REQUESTERS = [4, 5, 6, 7, 8, 9, 10, 11];
const PROVIDERS = [12, 13, 14, 15, 16, 17, 18, 19];
const GAS = { createJob: 400_000n, acceptJob: 150_000n, submitWork: 150_000n, release: 250_000n };

const iface = new Interface(IWorkEscrow__factory.abi);

function log(message: string) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/**
 * JSON-RPC batches over one HTTP request each, each on a new connection: a kept-alive connection left
 * idle while the next batch is built can be closed by the node just as it is reused ("other side
 * closed"), and a batch of transactions must not be sent twice.
 */
function batch(url: string, calls: { method: string; params: unknown[] }[]): Promise<unknown[]> {
  const body = JSON.stringify(calls.map((c, i) => ({ jsonrpc: "2.0", id: i, ...c })));
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("error", reject);
        response.on("end", () => {
          try {
            const results = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
              id: number;
              result?: unknown;
              error?: unknown;
            }[];
            const failed = results.find((r) => r.error !== undefined);
            if (failed) throw new Error(`JSON-RPC error: ${JSON.stringify(failed.error)}`);
            resolve(results.sort((a, b) => a.id - b.id).map((r) => r.result));
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function rpc(url: string, method: string, params: unknown[] = []) {
  return (await batch(url, [{ method, params }]))[0];
}

/** Sends `txs` (from unlocked node accounts) as blocks of as many as fit, mining each block. */
async function sendInBlocks(
  url: string,
  txs: { from: string; to: string; data: string; value?: bigint; gas: bigint }[],
  blockGasLimit: bigint,
) {
  let i = 0;
  while (i < txs.length) {
    let gas = 0n;
    const chunk = [];
    while (i < txs.length && chunk.length < PER_BLOCK && gas + txs[i]!.gas <= blockGasLimit) {
      gas += txs[i]!.gas;
      chunk.push(txs[i]!);
      i++;
    }
    await batch(
      url,
      chunk.map((t) => ({
        method: "eth_sendTransaction",
        params: [
          {
            from: t.from,
            to: t.to,
            data: t.data,
            value: toBeHex(t.value ?? 0n),
            gas: toBeHex(t.gas),
          },
        ],
      })),
    );
    await rpc(url, "evm_mine");
  }
}

/** GET with a retry on a dropped keep-alive connection (a busy server can close one as it is reused). */
async function get(url: string): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url);
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** `total` requests from `clients` concurrent loops; latencies in ms. */
async function load(makeUrl: (i: number) => string, clients: number, total: number) {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    [...Array(clients).keys()].map(async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        try {
          const response = await fetch(makeUrl(i));
          await response.arrayBuffer();
          if (!response.ok) errors++;
        } catch {
          errors++; // counted, not retried: its latency is still recorded
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: total,
    errors,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1]!,
    perSecond: total / seconds,
  };
}

async function main() {
  let chain: LocalChain | undefined;
  let api: RunningApi | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), "workescrow-bench-"));
  const cleanUp = async () => {
    await api?.stop();
    await chain?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  // Ctrl-C: the node and the indexer run in their own process groups; stop them too.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }
  try {
    log(`starting hardhat node and deploying (Ignition, deploy/parameters/localhost.json)`);
    chain = await startLocalChain("bench");
    const url = chain.url;
    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
    const accounts = (await rpc(url, "eth_accounts")) as string[];
    const escrow = chain.deployment.escrow;
    const latest = (await rpc(url, "eth_getBlockByNumber", ["latest", false])) as {
      gasLimit: string;
      timestamp: string;
    };
    const blockGasLimit = BigInt(latest.gasLimit);
    const now = Number(latest.timestamp);

    await rpc(url, "evm_setAutomine", [false]);
    const amount = parseEther("0.001");
    const t0 = performance.now();
    const creates = [...Array(JOBS).keys()].map((i) => ({
      from: accounts[REQUESTERS[i % REQUESTERS.length]!]!,
      to: escrow,
      value: amount,
      gas: GAS.createJob,
      data: iface.encodeFunctionData("createJob", [
        {
          provider: accounts[PROVIDERS[i % PROVIDERS.length]!]!,
          token: NATIVE,
          amount,
          deadline: now + 30 * 86_400,
          reviewPeriod: 3 * 86_400,
          jobType: i % 3,
          jobHash: hashText(`bench job ${i}`),
          arbitrator: accounts[ARBITRATOR]!,
          approvers: [],
          threshold: 0,
        },
      ]),
    }));
    log(`creating ${JOBS} jobs (${creates.length} transactions)`);
    await sendInBlocks(url, creates, blockGasLimit);
    const first =
      Number(
        await provider.send("eth_call", [
          { to: escrow, data: iface.encodeFunctionData("jobCount") },
          "latest",
        ]),
      ) -
      JOBS +
      1;
    const ids = [...Array(JOBS).keys()].map((i) => BigInt(first + i));
    const providerOf = (i: number) => accounts[PROVIDERS[i % PROVIDERS.length]!]!;
    const requesterOf = (i: number) => accounts[REQUESTERS[i % REQUESTERS.length]!]!;
    for (const [step, fn, from] of [
      ["acceptJob", (id: bigint) => iface.encodeFunctionData("acceptJob", [id]), providerOf],
      [
        "submitWork",
        (id: bigint) => iface.encodeFunctionData("submitWork", [id, hashText(`r${id}`)]),
        providerOf,
      ],
      ["release", (id: bigint) => iface.encodeFunctionData("release", [id]), requesterOf],
    ] as const) {
      log(`${step} × ${JOBS}`);
      await sendInBlocks(
        url,
        ids.map((id, i) => ({ from: from(i), to: escrow, data: fn(id), gas: GAS[step] })),
        blockGasLimit,
      );
    }
    await rpc(url, "evm_setAutomine", [true]);
    // 64 empty blocks on top: every escrow block is then final (Ponder treats the newest 30 blocks of
    // an unknown chain as reorganisable), so the whole history goes through the backfill.
    // One evm_mine each, not hardhat_mine: hardhat_mine reserves the blocks lazily, and Ponder then saw
    // the next real block's parent hash disagree with them ("unrecoverable reorg beyond finalized block").
    for (let i = 0; i < 64; i++) await rpc(url, "evm_mine");
    const head = Number(await rpc(url, "eth_blockNumber"));
    const logs = await provider.getLogs({
      address: escrow,
      fromBlock: chain.deployment.escrowBlock,
      toBlock: head,
    });
    const released = Number(
      await provider.send("eth_call", [
        { to: escrow, data: iface.encodeFunctionData("jobCount") },
        "latest",
      ]),
    );
    const chainSeconds = (performance.now() - t0) / 1000;
    log(
      `chain ready: ${released} jobs, ${logs.length} escrow events, ${head} blocks (${chainSeconds.toFixed(0)} s)`,
    );

    // Catch-up.
    const block = await provider.getBlock(chain.deployment.escrowBlock);
    const databaseUrl = process.env.DATABASE_URL || undefined;
    api = startApi({
      rpcUrl: url,
      chainId: 31337,
      network: "localhost",
      deployment: chain.deployment,
      schema: schemaFor(31337, escrow, block!.hash!),
      databaseUrl,
      pgliteDir: path.join(dataDir, "pglite"),
      bidsDir: path.join(dataDir, "bids"),
      port: await freePort(),
      pollingMs: 200,
      logFormat: "json",
      stdio: "pipe",
    });
    const startedAt = performance.now();
    await api.ready(300_000);
    const servingAt = performance.now();
    log(`API serving after ${((servingAt - startedAt) / 1000).toFixed(1)} s; indexing …`);
    for (;;) {
      const health = (await (await get(`${api.url}/health/details`)).json()) as {
        indexed: { block: number } | null;
      };
      if (health.indexed !== null && health.indexed.block >= head) break;
      if (performance.now() - servingAt > 1_800_000) throw new Error("did not catch up in 30 min");
      await new Promise((r) => setTimeout(r, 250));
    }
    const caughtUpAt = performance.now();
    const indexSeconds = (caughtUpAt - servingAt) / 1000;
    const fundEvents = await provider.getLogs({
      address: chain.deployment.fund,
      fromBlock: 0,
      toBlock: head,
    });
    const events = logs.length + fundEvents.length;
    log(
      `caught up: ${events} events in ${indexSeconds.toFixed(1)} s = ${(events / indexSeconds).toFixed(0)} events/s`,
    );
    const stats = (await (await get(`${api.url}/statistics/escrows`)).json()) as {
      jobs: { total: number };
    };
    if (stats.jobs.total !== released)
      throw new Error(`indexed ${stats.jobs.total} jobs, chain has ${released}`);

    // The statistics' first request after the last block computes them (then they are served
    // from the per-block cache until the next block is indexed).
    const t1 = performance.now();
    await (await get(`${api.url}/statistics/escrows`)).arrayBuffer();
    const statisticsCompute = performance.now() - t1;
    const t2 = performance.now();
    await (await get(`${api.url}/statistics/disputes`)).arrayBuffer();
    const disputesCompute = performance.now() - t2;

    // Latency under load (a warm-up pass first).
    const providers = PROVIDERS.map((i) => accounts[i]!.toLowerCase());
    const jobsUrl = (i: number) => `${api!.url}/jobs?provider=${providers[i % providers.length]}`;
    const statsUrl = () => `${api!.url}/statistics/escrows`;
    await load(jobsUrl, CLIENTS, Math.min(200, REQUESTS));
    await load(statsUrl, CLIENTS, Math.min(200, REQUESTS));
    log(`load: ${REQUESTS} × GET /jobs?provider= with ${CLIENTS} clients`);
    const jobs = await load(jobsUrl, CLIENTS, REQUESTS);
    log(`load: ${REQUESTS} × GET /statistics/escrows with ${CLIENTS} clients`);
    const statistics = await load(statsUrl, CLIENTS, REQUESTS);

    const cpu = cpus();
    const machine = [
      `${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}`,
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB memory (${(freemem() / 2 ** 30).toFixed(0)} GiB free)`,
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" / ")} (1/5/15 min, at the end: the machine is shared)`,
      `Node ${process.version}, ${execSync("uname -sr").toString().trim()}`,
    ];
    const ms = (x: number) => x.toFixed(1);
    const row = (route: string, r: Awaited<ReturnType<typeof load>>) =>
      `| \`${route}\` | ${r.requests} | ${r.errors} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.perSecond.toFixed(0)} |`;
    const report = `# Indexer benchmark

Made by \`npm run bench:api\` (indexer/bench/run.ts) on ${new Date().toISOString().slice(0, 10)}.
Database: ${databaseUrl ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite"}; Ponder ${ponderVersion()}; chain: \`hardhat node\` on 127.0.0.1.

Machine: ${machine.join("; ")}.

## Catch-up

${released} jobs, each created, accepted, submitted and released (${logs.length} escrow events and
${fundEvents.length} CommunityFund events; ${PER_BLOCK} transactions a block, ${head} blocks with 64
empty ones on top so that all of it is final), then the indexer started on that history (Ponder's
backfill: events fetched with \`eth_getLogs\` over block ranges, rows written in bulk):

| | |
| --- | --- |
| start to serving HTTP | ${((servingAt - startedAt) / 1000).toFixed(1)} s |
| serving to last block indexed | ${indexSeconds.toFixed(1)} s |
| **events per second** | **${(events / indexSeconds).toFixed(0)}** |

## Latency under load

${CLIENTS} concurrent clients on loopback, ${REQUESTS} requests per route (after a warm-up of 200),
each client sending its next request when the last one is answered. \`provider=\` cycles over the
8 providers (${Math.round(released / 8)} jobs each; a page is the newest 20). Times in ms.

| route | requests | errors | p50 | p95 | p99 | max | requests/s |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${row("GET /jobs?provider=", jobs)}
${row("GET /statistics/escrows", statistics)}

The job list reads one page through the (provider, id) index on every request. The statistics
aggregate the whole \`job\` table (GROUP BY status, job type and token), once per indexed block: the
first request after a block computes them (here ${ms(statisticsCompute)} ms for \`/statistics/escrows\`,
${ms(disputesCompute)} ms for \`/statistics/disputes\`, one client), the others share that answer until
the next block, each paying one read of Ponder's checkpoint. PGlite is one in-process Postgres that
also runs the indexing, so queries queue behind each other on one core; PostgreSQL serves them from
a pool of connections.
`;
    const file = path.join(INDEXER_DIR, "bench", "report.md");
    const options = (await prettier.resolveConfig(file)) ?? {};
    writeFileSync(file, await prettier.format(report, { ...options, filepath: file }));
    log(`wrote indexer/bench/report.md`);
    console.log(report);
  } catch (err) {
    console.error(`hardhat node: ${JSON.stringify(chain?.exit() ?? "running")}`);
    if (api !== undefined)
      console.error(`indexer output (last 6,000 characters):\n${api.output().slice(-6000)}`);
    throw err;
  } finally {
    await cleanUp();
  }
}

function ponderVersion(): string {
  const file = path.join(ROOT, "node_modules", "ponder", "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

await main();
