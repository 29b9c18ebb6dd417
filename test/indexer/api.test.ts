/**
 * The indexer and its HTTP API against a real `hardhat node` on 127.0.0.1 and the Ignition deployment,
 * as a user runs them:
 * - history (part A) is backfilled by `hardhat escrow:api` (= `npm run api`) on PGlite, then part B
 *   is followed live; every job equals `getJob`, every credit equals `withdrawable`, the audit trail
 *   equals the chain's logs, statistics equal the scenario's own record, the fund equals its views;
 * - the indexer is stopped, part C happens, it restarts on the same database and catches up to the
 *   same result;
 * - a fresh indexer on a PostgreSQL server started here (temporary data directory, 127.0.0.1) gets
 *   the same result;
 * - bad input gets 400/404/413 with a reason and never 500, with CORS; Ponder's /sql/* is not
 *   served (L-04); the bid book checks signatures as the escrow does (EOA: 65 bytes, low s; ERC-1271)
 *   and terms, lists valid bids best price first in pages, and holds at most
 *   WORKESCROW_BIDS_PER_JOB live bids per job (409 `book-full`, M-04).
 * Every process this test starts binds 127.0.0.1 and is stopped in `after`, also on failure.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { parseEther, type Log } from "ethers";
import { ROOT, freePort, schemaFor, startApi, type RunningApi } from "../../scripts/lib/indexer.js";
import { createApiClient, type ApiClient, type ApiJob } from "../../sdk/api.js";
import { EscrowClient } from "../../sdk/index.js";
import { IWorkEscrow__factory } from "../../typechain-types/index.js";
import { HARDHAT_CLI, hardhat, startLocalChain, type LocalChain } from "../helpers/localChain.js";
import { NATIVE, Scenario } from "../helpers/indexerScenario.js";
import { postgresBin, startPostgres, type Postgres } from "../helpers/postgres.js";
import { adopt, startServer, type Server } from "../helpers/servers.js";
import { highSTwin } from "../helpers/bidSignatures.js";

const STATUS = [
  "None",
  "Open",
  "Accepted",
  "Submitted",
  "Disputed",
  "Released",
  "Refunded",
  "Cancelled",
  "Resolved",
];
const VERDICT = ["None", "Approved", "Rejected"];
/** getJob's fields, from the ABI: a field added to IWorkEscrowTypes.Job is compared without edits here. */
const JOB_FIELDS = IWorkEscrow__factory.createInterface()
  .getFunction("getJob")!
  .outputs[0]!.components!.map((c) => c.name);

describe("indexer + HTTP API (hardhat node, Ponder, PGlite and PostgreSQL)", function () {
  this.timeout(600_000);

  let chain: LocalChain | undefined;
  let scenario: Scenario;
  let pg: Postgres | undefined;
  let dataDir: string;
  let task: { server: Server; url: string } | undefined;
  let postgresApi: RunningApi | undefined;
  /** the PostgreSQL indexer, started during the restart test to index in parallel (2 cores) */
  let postgresReady: Promise<unknown> | undefined;
  let api: ApiClient;

  before(async function () {
    dataDir = mkdtempSync(path.join(tmpdir(), "workescrow-api-"));
    [chain, pg] = await Promise.all([
      startLocalChain("api"),
      postgresBin() === undefined ? Promise.resolve(undefined) : startPostgres(),
    ]);
    scenario = new Scenario(chain.url, chain.deployment);
    await scenario.setup();
  });

  after(async function () {
    await stopTask();
    await postgresApi?.stop();
    await pg?.stop();
    await chain?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** `hardhat escrow:api --network localhost` (what `npm run api -- --network localhost` runs). */
  async function startTask(): Promise<void> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await startServer({
      name: "escrow:api",
      command: process.execPath,
      args: [
        HARDHAT_CLI,
        "escrow:api",
        "--network",
        "localhost",
        "--port",
        String(port),
        "--poll",
        "100",
      ],
      env: {
        ...chain!.env,
        WORKESCROW_PGLITE_DIR: path.join(dataDir, "pglite"),
        WORKESCROW_BIDS_DIR: path.join(dataDir, "bids"),
        WORKESCROW_BIDS_PER_JOB: "4", // the bid book test fills a book
        PONDER_LOG_FORMAT: "json",
        DATABASE_URL: "",
      },
      ready: async () => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) })).ok,
      timeoutMs: 180_000,
      port,
    });
    task = { server, url };
  }

  async function stopTask(): Promise<void> {
    const t = task;
    task = undefined;
    await t?.server.stop(20_000);
  }

  async function startPostgresApi(): Promise<void> {
    const block = await scenario.rpc.getBlock(chain!.deployment.escrowBlock);
    postgresApi = startApi({
      rpcUrl: chain!.url,
      chainId: 31337,
      network: "localhost",
      deployment: chain!.deployment,
      schema: schemaFor(31337, chain!.deployment.escrow, block!.hash!),
      databaseUrl: pg!.url,
      port: await freePort(),
      pollingMs: 100,
      logFormat: "json",
      stdio: "pipe",
    });
    adopt(postgresApi.child);
    await postgresApi.ready();
  }

  it("backfills history and follows the chain live on PGlite (`npm run api`): jobs, credits, trail, statistics and fund equal the chain", async function () {
    await scenario.partA();
    await startTask();
    expect(task!.server.output()).to.include(
      "database: PGlite",
      "the task says where the data goes",
    );
    api = createApiClient(task!.url);
    await caughtUp(api, scenario);
    await scenario.partB();
    await caughtUp(api, scenario);
    await expectConsistent(api, scenario);
    await expectListsAgree(task!.url, scenario, chain!);
  });

  it("resumes after a restart on the same database with the same result", async function () {
    await stopTask();
    await scenario.partC();
    // The PostgreSQL indexer (next test) starts now, from scratch, while this one restarts.
    if (pg !== undefined) {
      postgresReady = startPostgresApi().catch((err: unknown) => err);
    }
    await startTask();
    api = createApiClient(task!.url);
    expect(
      task!.server.output(),
      "Ponder resumed from its checkpoint instead of starting over",
    ).to.match(/crash recovery/i);
    await caughtUp(api, scenario);
    await expectConsistent(api, scenario);
  });

  it("indexes the same chain into PostgreSQL with the same result", async function () {
    if (pg === undefined) {
      console.log(
        "      skipped: PostgreSQL's server is not installed (apt-get install postgresql)",
      );
      this.skip();
    }
    const failed = await (postgresReady ?? startPostgresApi().catch((err: unknown) => err));
    if (failed instanceof Error) throw failed;
    const onPostgres = createApiClient(postgresApi!.url);
    await caughtUp(onPostgres, scenario);
    await expectConsistent(onPostgres, scenario);
    // Both databases hold the same model: the whole job list, page by page, is identical.
    expect(await allJobs(onPostgres), "PostgreSQL and PGlite agree on every job").to.deep.equal(
      await allJobs(api),
    );
  });

  it("answers bad input with a reason (400, 404, 413), never 500, with CORS for dapps", async function () {
    const url = task!.url;
    const huge = "x".repeat(20 * 1024);
    const cases: [string, RequestInit | undefined, number, string][] = [
      ["/jobs/abc", undefined, 400, "invalid-job-id"],
      ["/jobs/0", undefined, 400, "invalid-job-id"],
      ["/jobs/-1", undefined, 400, "invalid-job-id"],
      ["/jobs/1e3", undefined, 400, "invalid-job-id"],
      [`/jobs/${2n ** 256n}`, undefined, 400, "invalid-job-id"],
      ["/jobs/99999", undefined, 404, "unknown-job"],
      ["/jobs/99999/events", undefined, 404, "unknown-job"],
      ["/jobs/99999/bids", undefined, 404, "unknown-job"],
      ["/jobs/x/events", undefined, 400, "invalid-job-id"],
      ["/jobs?provider=0x123", undefined, 400, "invalid-address"],
      ["/jobs?requester=vitalik.eth", undefined, 400, "invalid-address"],
      [`/jobs?token=0x${"a".repeat(41)}`, undefined, 400, "invalid-address"],
      ["/jobs?account=", undefined, 400, "invalid-address"],
      ["/jobs?status=Bogus", undefined, 400, "invalid-status"],
      ["/jobs?status=0", undefined, 400, "invalid-status"],
      ["/jobs?status=Open,9", undefined, 400, "invalid-status"],
      ["/jobs?limit=0", undefined, 400, "invalid-limit"],
      ["/jobs?limit=101", undefined, 400, "invalid-limit"],
      ["/jobs?limit=ten", undefined, 400, "invalid-limit"],
      ["/jobs?cursor=!!!", undefined, 400, "invalid-cursor"],
      [
        `/jobs?cursor=${Buffer.from("x:1").toString("base64url")}`,
        undefined,
        400,
        "invalid-cursor",
      ],
      [
        `/jobs?cursor=${Buffer.from("j:0").toString("base64url")}`,
        undefined,
        400,
        "invalid-cursor",
      ],
      ["/accounts/0xnothex", undefined, 400, "invalid-address"],
      ["/accounts/42", undefined, 400, "invalid-address"],
      ["/jobs/1/bids", { method: "POST", body: "{not json" }, 400, "invalid-json"],
      ["/jobs/1/bids", { method: "POST", body: "" }, 400, "invalid-json"],
      ["/jobs/1/bids", { method: "POST", body: "[]" }, 400, "invalid-body"],
      [
        "/jobs/1/bids",
        { method: "POST", body: '{"bid":1,"signature":"0x00"}' },
        400,
        "invalid-body",
      ],
      [
        "/jobs/1/bids",
        { method: "POST", body: JSON.stringify({ bid: bidFields(), signature: "0xzz" }) },
        400,
        "invalid-signature",
      ],
      [
        "/jobs/1/bids",
        {
          method: "POST",
          body: JSON.stringify({ bid: { ...bidFields(), price: "-1" }, signature: "0x00" }),
        },
        400,
        "invalid-integer",
      ],
      [
        "/jobs/1/bids",
        {
          method: "POST",
          body: JSON.stringify({ bid: { ...bidFields(), price: 1e21 }, signature: "0x00" }),
        },
        400,
        "invalid-integer",
      ],
      [
        "/jobs/1/bids",
        {
          method: "POST",
          body: JSON.stringify({ bid: { ...bidFields(), provider: "0x12" }, signature: "0x00" }),
        },
        400,
        "invalid-address",
      ],
      [
        "/jobs/1/bids",
        {
          method: "POST",
          body: JSON.stringify({ bid: { ...bidFields(), extra: 1 }, signature: "0x00" }),
        },
        400,
        "invalid-body",
      ],
      [
        "/jobs/1/bids",
        {
          method: "POST",
          body: JSON.stringify({
            bid: { ...bidFields(), expiry: (2n ** 64n).toString() },
            signature: "0x00",
          }),
        },
        400,
        "invalid-integer",
      ],
      ["/jobs/1/bids", { method: "POST", body: huge }, 413, "body-too-large"],
      ["/jobs/abc/bids", { method: "POST", body: "{}" }, 400, "invalid-job-id"],
      ["/jobs/1/bids?cursor=!!!", undefined, 400, "invalid-cursor"],
      [
        `/jobs/1/bids?cursor=${Buffer.from("j:5").toString("base64url")}`,
        undefined,
        400,
        "invalid-cursor",
      ],
      ["/jobs/1/bids?limit=1001", undefined, 400, "invalid-limit"],
      ["/jobs/1/bids?limit=-1", undefined, 400, "invalid-limit"],
      ["/jobs/%ZZ", undefined, 400, "invalid-job-id"],
      ["/jobs?status=%E0%A4%A", undefined, 400, "invalid-status"],
      // Ponder's SQL over HTTP is not served (L-04): neither its query route nor its live stream.
      [
        `/sql/db?sql=${encodeURIComponent(JSON.stringify({ sql: "SELECT * FROM job a, job b, job c", params: [], typings: [] }))}`,
        undefined,
        404,
        "not-found",
      ],
      ["/sql/db", { method: "POST", body: "SELECT 1" }, 404, "not-found"],
      ["/sql/live", undefined, 404, "not-found"],
      ["/no/such/route", undefined, 404, "not-found"],
    ];
    for (const [route, init, status, code] of cases) {
      const response = await fetch(`${url}${route}`, {
        ...init,
        headers: { origin: "https://dapp.example", "content-type": "application/json" },
      });
      const text = await response.text();
      const label = `${init?.method ?? "GET"} ${route.slice(0, 60)}`;
      expect(response.status, `${label}: ${text}`).to.equal(status);
      const body = JSON.parse(text) as { error: string; message: string };
      expect(body.error, label).to.equal(code);
      expect(body.message, `${label} gives a reason`).to.be.a("string").and.not.equal("");
      expect(response.headers.get("access-control-allow-origin"), `${label}: CORS`).to.equal("*");
    }
    // A browser's preflight for a JSON POST is allowed.
    const preflight = await fetch(`${url}/jobs/1/bids`, {
      method: "OPTIONS",
      headers: {
        origin: "https://dapp.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(preflight.status, "preflight").to.be.oneOf([200, 204]);
    expect(preflight.headers.get("access-control-allow-origin")).to.equal("*");
    expect(preflight.headers.get("access-control-allow-methods") ?? "").to.include("POST");
    // The liveness route is Ponder's; the details are JSON.
    expect((await fetch(`${url}/health`)).status).to.equal(200);
    const health = await api.health();
    expect(health.chain.id).to.equal(31337);
    expect(health.escrow).to.equal(chain!.deployment.escrow.toLowerCase());
    expect(health.lagBlocks).to.equal(0);
    // Only loopback: nothing answers on another local address.
    expect(task!.server.output()).to.match(/"hostname":"127\.0\.0\.1"/);
  });

  it("keeps a bid book: checks signatures (EOA, ERC-1271) and terms, lists valid bids best price first", async function () {
    const s = scenario;
    const job = await s.create("bidJob", {
      provider: NATIVE,
      bidsOnly: true,
      amount: parseEther("1"),
    });
    const designated = await s.create("designated", { provider: s.p1.address });
    const released = s.ids.j1!;
    await caughtUp(api, s);

    const post = async (body: unknown, jobId = job) =>
      fetch(`${task!.url}/jobs/${jobId}/bids`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const wire = (signed: Awaited<ReturnType<Scenario["signBid"]>>) => ({
      bid: {
        jobId: signed.bid.jobId.toString(),
        provider: signed.bid.provider,
        price: signed.bid.price.toString(),
        expiry: signed.bid.expiry.toString(),
        nonce: signed.bid.nonce.toString(),
      },
      signature: signed.signature,
      escrow: chain!.deployment.escrow,
      chainId: "31337",
    });

    const p2Bid = wire(await s.signBid(s.p2, job, parseEther("0.9")));
    const first = await post(p2Bid);
    expect(first.status, await first.clone().text()).to.equal(201);
    const again = await post(p2Bid);
    expect(again.status, "the same bid again is stored once").to.equal(200);
    const walletBid = wire(
      await s.signBid(s.walletOwner, job, parseEther("0.7"), await s.wallet.getAddress()),
    );
    const viaSdk = await api.submitBid(walletBid);
    expect(viaSdk.provider, "an ERC-1271 wallet's bid").to.equal(
      (await s.wallet.getAddress()).toLowerCase(),
    );
    const p3Bid = wire(await s.signBid(s.p3, job, parseEther("0.8")));
    expect((await post(p3Bid)).status).to.equal(201);

    const refusals: [unknown, string, bigint?][] = [
      // signed by p3 for p2: not p2's signature
      [{ ...p2Bid, signature: p3Bid.signature }, "bad-signature"],
      // p2's own signature in its high-s form, or cut to 64 bytes, or ERC-6492-wrapped: ecrecover or
      // viem would take them, the escrow's ECDSA refuses them (L-05)
      [{ ...p2Bid, signature: highSTwin(p2Bid.signature) }, "non-canonical-signature"],
      [{ ...p2Bid, signature: p2Bid.signature.slice(0, 130) }, "non-canonical-signature"],
      [
        { ...p2Bid, signature: `${p2Bid.signature}${"6492".repeat(16)}` },
        "non-canonical-signature",
      ],
      [wire(await s.signBid(s.p2, job, parseEther("1.5"))), "above-price"],
      [wire(await s.signBid(s.p2, job, 0n)), "zero-price"],
      [wire(await s.signBid(s.p2, job, parseEther("0.5"), s.p2.address, -10)), "expired"],
      [wire(await s.signBid(s.requester, job, parseEther("0.5"))), "invalid-provider"],
      [wire(await s.signBid(s.arbitrator, job, parseEther("0.5"))), "invalid-provider"],
      [{ ...p2Bid, chainId: "1" }, "wrong-chain"],
      [{ ...p2Bid, escrow: s.deployment.fund }, "wrong-escrow"],
      [p2Bid, "wrong-job", designated],
      [wire(await s.signBid(s.p2, designated, parseEther("0.5"))), "not-biddable", designated],
      [wire(await s.signBid(s.p2, released, parseEther("0.5"))), "not-open", released],
    ];
    for (const [body, code, jobId] of refusals) {
      const response = await post(body, jobId ?? job);
      const text = await response.text();
      expect(response.status, `${code}: ${text}`).to.equal(422);
      expect((JSON.parse(text) as { error: string }).error, text).to.equal(code);
    }

    let book = await api.bids(job);
    expect(
      book.map((b) => b.price),
      "best price first",
    ).to.deep.equal([parseEther("0.7"), parseEther("0.8"), parseEther("0.9")].map(String));
    expect(
      book.every((b) => b.awardable),
      "every nonce is current",
    ).to.equal(true);
    expect(book[0]!.expiry, "expiry is a decimal string (I-08)").to.equal(walletBid.bid.expiry);
    expect(book[0]!.digest).to.equal(
      await s.escrow.hashBid({
        jobId: job,
        provider: walletBid.bid.provider,
        price: parseEther("0.7"),
        expiry: BigInt(walletBid.bid.expiry),
        nonce: BigInt(walletBid.bid.nonce),
      }),
      "the digest is the escrow's hashBid",
    );

    // The book holds at most 4 live bids here (WORKESCROW_BIDS_PER_JOB): the 4th is stored, the 5th
    // is refused with 409 and a reason, however cheap (M-04).
    expect((await post(wire(await s.signBid(s.p2, job, parseEther("0.95"))))).status).to.equal(201);
    const full = await post(wire(await s.signBid(s.p2, job, parseEther("0.1"))));
    const fullText = await full.text();
    expect(full.status, fullText).to.equal(409);
    expect((JSON.parse(fullText) as { error: string }).error, fullText).to.equal("book-full");
    // Pages of 3 in the book's order, with a cursor.
    const pageOf = async (query: string) =>
      (await (await fetch(`${task!.url}/jobs/${job}/bids${query}`)).json()) as {
        items: { price: string }[];
        nextCursor: string | null;
      };
    const page1 = await pageOf("?limit=3");
    const page2 = await pageOf(`?limit=3&cursor=${page1.nextCursor}`);
    expect(
      [page1.items, page2.items].map((p) => p.map((b) => b.price)),
      "two pages",
    ).to.deep.equal([
      [parseEther("0.7"), parseEther("0.8"), parseEther("0.9")].map(String),
      [parseEther("0.95")].map(String),
    ]);
    expect(page2.nextCursor, "the last page").to.equal(null);

    // p3 cancels its bids on this job: its nonce is used, the bid leaves the book (and the store: room
    // for a new bid); a new signature at the used nonce is refused.
    await s.wait(s.as(s.p3).invalidateNonce(job));
    await caughtUp(api, s);
    book = await api.bids(job);
    expect(book.map((b) => b.price)).to.deep.equal(
      [parseEther("0.7"), parseEther("0.9"), parseEther("0.95")].map(String),
    );
    expect(
      (await post(wire(await s.signBid(s.p2, job, parseEther("0.1"))))).status,
      "the dead bid was deleted: room for one more",
    ).to.equal(201);
    const stale = { ...p3Bid, bid: { ...p3Bid.bid, price: parseEther("0.75").toString() } };
    const usedNonce = await post(stale);
    expect(usedNonce.status).to.equal(422);
    expect(((await usedNonce.json()) as { error: string }).error).to.equal("nonce-used");

    // The requester awards the wallet's bid on chain: the job is no longer open, the book is empty.
    await s.wait(
      s.as(s.requester).awardBid(
        job,
        {
          jobId: job,
          provider: walletBid.bid.provider,
          price: BigInt(walletBid.bid.price),
          expiry: BigInt(walletBid.bid.expiry),
          nonce: BigInt(walletBid.bid.nonce),
        },
        walletBid.signature,
      ),
    );
    await caughtUp(api, s);
    expect(await api.bids(job), "an awarded job takes no more bids").to.deep.equal([]);
    const awarded = await api.job(job);
    expect(awarded!.status).to.equal("Accepted");
    expect(awarded!.provider).to.equal(walletBid.bid.provider.toLowerCase());
    expect(awarded!.amount).to.equal(parseEther("0.7").toString());
  });
});

/* ---------------------------------------------------------------------------- helpers */

function bidFields() {
  return {
    jobId: "1",
    provider: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    price: "1",
    expiry: "1",
    nonce: "1",
  };
}

/** Waits until the API has indexed the chain's latest block. */
async function caughtUp(api: ApiClient, s: Scenario) {
  const head = await s.head();
  const until = Date.now() + 120_000;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const h = await api.health();
      last = h;
      if (h.indexed !== null && h.indexed.block >= head) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the API did not index block ${head} in 120 s: ${JSON.stringify(last)}`);
}

async function allJobs(api: ApiClient): Promise<ApiJob[]> {
  const out: ApiJob[] = [];
  for await (const j of api.allJobs({ limit: 7 })) out.push(j);
  return out;
}

/** The API's value of a getJob field, in the chain's terms. */
function chainValue(name: string, value: unknown): unknown {
  if (name === "status") return STATUS[Number(value)];
  if (name === "verdict") return VERDICT[Number(value)];
  if (typeof value === "string") return value.toLowerCase();
  if (typeof value === "bigint") return value;
  return value;
}

function apiValue(name: string, value: unknown): unknown {
  if (typeof value === "number" || (typeof value === "string" && /^[0-9]+$/.test(value))) {
    return BigInt(value as string | number);
  }
  return value;
}

/**
 * `EscrowClient({ apiUrl }).jobsOf` equals the log scan for accounts in every role, and
 * `escrow:list --api` prints the same lines as `escrow:list` (after the line naming the source).
 */
async function expectListsAgree(url: string, s: Scenario, chain: LocalChain) {
  const escrow = s.deployment.escrow;
  const fromBlock = s.deployment.escrowBlock;
  const viaApi = new EscrowClient(escrow, s.rpc, { apiUrl: url, apiFallback: false });
  const viaLogs = new EscrowClient(escrow, s.rpc);
  const accounts = [
    s.requester,
    s.p1,
    s.p2,
    s.p3,
    s.arbitrator,
    s.approvers[0]!,
    s.verifier,
    s.keeper,
  ].map((a) => a.address);
  for (const account of [...accounts, await s.wallet.getAddress()]) {
    const scanned = await viaLogs.jobsOf(account, { fromBlock });
    expect(
      await viaApi.jobsOf(account, { fromBlock }),
      `jobsOf(${account}) via the API`,
    ).to.deep.equal(scanned);
    expect(viaApi.jobsOfSource?.source, "the API answered").to.equal("api");
  }
  for (const account of [s.p1.address, s.verifier.address]) {
    const args = ["escrow:list", "--network", "localhost", "--account", account];
    const [logs, api] = await Promise.all([
      hardhat(args, chain.env),
      hardhat([...args, "--api", url], chain.env),
    ]);
    expect(logs.code, logs.err).to.equal(0);
    expect(api.code, api.err).to.equal(0);
    const [logSource, ...logLines] = logs.out.trimEnd().split("\n");
    const [apiSource, ...apiLines] = api.out.trimEnd().split("\n");
    expect(logSource).to.equal(`source: the escrow's logs from block ${fromBlock}`);
    expect(apiSource).to.match(
      new RegExp(
        `^source: the API at ${url.replace(/\./g, "\\.")} \\(indexed up to block \\d+\\)$`,
      ),
    );
    expect(logLines.length, `escrow:list ${account} lists jobs`).to.be.above(1);
    expect(apiLines, `escrow:list --api ${account} prints the same lines`).to.deep.equal(logLines);
  }
}

async function expectConsistent(api: ApiClient, s: Scenario) {
  const escrow = s.escrow;
  const count = await escrow.jobCount();

  // Every job equals getJob, field by field; and the record's status.
  for (let id = 1n; id <= count; id++) {
    const onChain = await escrow.getJob(id);
    const indexed = await api.job(id);
    expect(indexed, `job ${id} is indexed`).to.not.equal(null);
    for (const field of JOB_FIELDS) {
      const want = chainValue(field, (onChain as unknown as Record<string, unknown>)[field]);
      const got = apiValue(field, (indexed as unknown as Record<string, unknown>)[field]);
      const wantCmp =
        typeof want === "boolean" ? want : typeof want === "number" ? BigInt(want) : want;
      expect(got, `job ${id}.${field}`).to.deep.equal(wantCmp);
    }
    expect(indexed!.status, `job ${id}: the scenario's record`).to.equal(s.record.jobs.get(id));
  }

  // The job list: every id once, newest first, through cursors; filters select exactly.
  const all = await allJobs(api);
  expect(
    all.map((j) => BigInt(j.id)),
    "all jobs, newest first",
  ).to.deep.equal([...Array(Number(count)).keys()].map((i) => count - BigInt(i)));
  const p1 = s.p1.address.toLowerCase();
  const byProvider = [];
  for await (const j of api.allJobs({ provider: p1 })) byProvider.push(j.id);
  expect(byProvider, "provider filter").to.deep.equal(
    all.filter((j) => j.provider === p1).map((j) => j.id),
  );
  const released = (await api.jobs({ status: "Released", limit: 100 })).items.map((j) => j.id);
  expect(released, "status filter").to.deep.equal(
    all.filter((j) => j.status === "Released").map((j) => j.id),
  );
  const musd = s.record.tokens[1]!;
  const inMusd = (await api.jobs({ token: musd, status: ["Released", "Submitted"], limit: 100 }))
    .items;
  expect(
    inMusd.map((j) => j.id),
    "token + several statuses",
  ).to.deep.equal(
    all
      .filter((j) => j.token === musd && ["Released", "Submitted"].includes(j.status))
      .map((j) => j.id),
  );

  // Every account's credit in every token equals withdrawable().
  for (const who of s.record.accounts) {
    const account = await api.account(who);
    for (const token of s.record.tokens) {
      const want = await escrow.withdrawable(token, who);
      const credit = account.credits.find((c) => c.token === token.toLowerCase());
      expect(BigInt(credit?.balance ?? "0"), `credit of ${who} in ${token}`).to.equal(want);
    }
  }

  // The audit trail of each job equals the chain's logs of that job, in order.
  const logs = await s.rpc.getLogs({
    address: s.deployment.escrow,
    fromBlock: s.deployment.escrowBlock,
    toBlock: "latest",
  });
  const byJob = new Map<bigint, Log[]>();
  for (const log of logs) {
    const parsed = escrow.interface.parseLog(log);
    if (parsed === null || parsed.fragment.inputs[0]?.name !== "jobId") continue;
    const id = BigInt(log.topics[1]!);
    byJob.set(id, [...(byJob.get(id) ?? []), log]);
  }
  for (let id = 1n; id <= count; id++) {
    const trail = await api.jobEvents(id);
    const want = (byJob.get(id) ?? []).map((l) => ({
      name: escrow.interface.parseLog(l)!.name,
      tx: l.transactionHash,
      logIndex: l.index,
      block: l.blockNumber,
    }));
    expect(
      trail.map((e) => ({
        name: e.name,
        tx: e.transactionHash,
        logIndex: e.logIndex,
        block: e.blockNumber,
      })),
      `audit trail of job ${id}`,
    ).to.deep.equal(want);
  }

  // Statistics equal the scenario's record.
  const stats = await api.escrowStatistics();
  const byStatus: Record<string, number> = {};
  for (const status of s.record.jobs.values()) byStatus[status] = (byStatus[status] ?? 0) + 1;
  for (const status of STATUS.slice(1)) {
    expect(
      stats.jobs.byStatus[status as keyof typeof stats.jobs.byStatus],
      `jobs ${status}`,
    ).to.equal(byStatus[status] ?? 0);
  }
  expect(stats.jobs.total).to.equal(s.record.jobs.size);
  const native = stats.tokens.find((t) => t.token === NATIVE)!;
  let escrowedNow = 0n;
  for (let id = 1n; id <= count; id++) {
    const j = await escrow.getJob(id);
    if (j.token === NATIVE && Number(j.status) <= 4) escrowedNow += j.amount;
  }
  expect(BigInt(native.escrowed), "native escrowed in live jobs").to.equal(escrowedNow);

  const disputes = await api.disputeStatistics();
  const record = [...s.record.disputes.values()];
  expect(disputes.total, "disputes").to.equal(record.length);
  expect(disputes.open).to.equal(record.filter((d) => d.resolution === undefined).length);
  for (const r of ["Arbitrated", "Agreed", "Stale"] as const) {
    expect(disputes.byResolution[r], `disputes ${r}`).to.equal(
      record.filter((d) => d.resolution === r).length,
    );
  }
  expect(disputes.raisedBy.provider).to.equal(record.filter((d) => d.by === "provider").length);
  expect(disputes.raisedBy.requester).to.equal(record.filter((d) => d.by === "requester").length);
  for (const o of ["provider", "requester", "split"] as const) {
    expect(disputes.outcomes[o], `outcome ${o}`).to.equal(
      record.filter((d) => d.outcome === o).length,
    );
  }
  expect(disputes.evidence).to.equal(record.reduce((a, d) => a + d.evidence, 0));

  // Accounts: counters the scenario decided.
  const p2 = await api.account(s.p2.address);
  expect(p2.delivery.missedDeadlines, "p2 missed j4's deadline").to.equal(1);
  // Not chai's closeTo: in the whole suite hardhat-ethers-chai-matchers replaces it with a bigint
  // version that refuses fractions.
  const onTimeRate = p2.delivery.deliveries / (p2.delivery.deliveries + 1);
  expect(p2.delivery.onTimeRate, "p2 has an on-time rate").to.not.equal(null);
  expect(
    Math.abs(p2.delivery.onTimeRate! - onTimeRate),
    `p2's on-time rate ${p2.delivery.onTimeRate}, want ${onTimeRate}`,
  ).to.be.below(1e-9);
  const requester = await api.account(s.requester.address);
  expect(requester.jobs.asRequester).to.equal(s.record.jobs.size);
  const p1Account = await api.account(s.p1.address);
  expect(p1Account.disputes.won, "p1 won j5").to.be.at.least(1);
  expect(p1Account.disputes.lost, "p1 lost j16").to.be.at.least(1);
  const keeper = await api.account(s.keeper.address);
  expect(keeper.earnings.find((e) => e.token === NATIVE)?.keeperTips).to.equal(
    parseEther("0.01").toString(),
    "the keeper's tip from finalize",
  );

  // The fund equals its views.
  const fund = await api.communityFund();
  for (const token of s.record.tokens) {
    const state = await s.fund.tokenState(token);
    const t = fund.tokens.find((x) => x.token === token.toLowerCase());
    if (state.totalReceived === 0n && state.threshold === 0n) continue;
    expect(t, `fund token ${token}`).to.not.equal(undefined);
    expect(BigInt(t!.pool), "pool").to.equal(state.pool);
    expect(BigInt(t!.reserved), "reserved").to.equal(state.reserved);
    expect(BigInt(t!.totalReceived), "totalReceived").to.equal(state.totalReceived);
    expect(BigInt(t!.totalClaimed), "totalClaimed").to.equal(state.totalClaimed);
    expect(BigInt(t!.threshold), "threshold").to.equal(state.threshold);
    expect(BigInt(t!.lastRoundAt), "lastRoundAt").to.equal(state.lastRoundAt);
    expect(BigInt(t!.uncollected), "uncollected").to.equal(
      await escrow.withdrawable(token, s.deployment.fund),
    );
  }
  const roundCount = await s.fund.roundCount();
  expect(BigInt(fund.rounds.length), "rounds").to.equal(roundCount);
  for (const r of fund.rounds) {
    const onChain = await s.fund.getRound(BigInt(r.id));
    expect(r.status, `round ${r.id} status`).to.equal(
      ["None", "Live", "Cancelled", "Expired"][Number(onChain.status)],
    );
    expect(BigInt(r.total)).to.equal(onChain.total);
    expect(BigInt(r.claimed)).to.equal(onChain.claimed);
    expect(BigInt(r.claimsOpenAt)).to.equal(onChain.claimsOpenAt);
    expect(BigInt(r.expiresAt)).to.equal(onChain.expiresAt);
    expect(r.root).to.equal(onChain.root);
    expect(r.uri).to.equal(onChain.uri);
    expect(BigInt(r.coveredUntil), `round ${r.id} coveredUntil`).to.equal(onChain.coveredUntil);
    expect(r.guardian, `round ${r.id}: the guardian in force when posted`).to.equal(
      onChain.guardian.toLowerCase(),
    );
  }
  expect(fund.settings?.guardian, "the guardian in force").to.equal(
    (await s.fund.guardian()).toLowerCase(),
  );
  const [pendingGuardian, guardianAt] = await s.fund.pendingGuardian();
  expect(fund.settings?.pendingGuardian, "pending guardian").to.deep.equal(
    guardianAt === 0n
      ? null
      : { guardian: pendingGuardian.toLowerCase(), effectiveAt: Number(guardianAt) },
  );
  const schedule = await s.fund.pendingSchedule();
  expect(fund.settings?.pendingSchedule, "pending schedule").to.deep.equal(
    schedule.effectiveAt === 0n
      ? null
      : {
          minInterval: Number(schedule.minInterval),
          challengeDelay: Number(schedule.challengeDelay),
          claimPeriod: Number(schedule.claimPeriod),
          effectiveAt: Number(schedule.effectiveAt),
        },
  );
  for (const field of ["minInterval", "challengeDelay", "claimPeriod"] as const) {
    expect(fund.settings?.[field], `schedule in force: ${field}`).to.equal(
      Number(await s.fund[field]()),
    );
  }
}
