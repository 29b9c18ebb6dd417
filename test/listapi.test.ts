/**
 * `EscrowClient({ apiUrl }).jobsOf` and `escrow:list --api` when the API is not there or not right,
 * in-process and fast (no indexer): an unreachable API falls back to the log scan (SDK default) or is
 * a readable error (`apiFallback: false`, the CLI); a bad URL, an API of another escrow or chain and
 * an error status are never answered from logs. test/indexer/api.test.ts compares both sources
 * against a real API.
 */
import { expect } from "chai";
import hre from "hardhat";
import { EscrowClient, EscrowError } from "../sdk/index.js";
import { deploySuiteForTasks, runTask } from "./helpers/tasks.js";
import { freePort } from "../scripts/lib/indexer.js";

const { ethers } = await hre.network.getOrCreate();
const signers = await ethers.getSigners();
const [, treasury, community, arbitrator, , provider, , verifier] = signers;

const address = await deploySuiteForTasks(ethers);

/** Runs `escrow:list` in-process; returns its exit code and printed lines. */
const list = (args: Record<string, unknown>) =>
  runTask("escrow:list", { escrow: address, ...args });

async function create(args: Record<string, unknown>) {
  const { out } = await runTask("escrow:create", {
    escrow: address,
    arbitrator: arbitrator.address,
    amount: "1",
    spec: "x",
    ...args,
  });
  expect(out, "escrow:create printed the job").to.match(/job \d+ created/);
}

/** A fetch that answers every request with `body` (JSON) and `status`. */
function answering(body: unknown, status = 200): typeof fetch {
  return async () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
}

async function rejection(p: Promise<unknown>): Promise<EscrowError> {
  try {
    await p;
  } catch (err) {
    expect(err, "an EscrowError").to.be.instanceOf(EscrowError);
    return err as EscrowError;
  }
  expect.fail("must reject");
}

describe("jobsOf / escrow:list with an HTTP API that is not there or not right", function () {
  let closed: string;
  let scan: Awaited<ReturnType<EscrowClient["jobsOf"]>>;

  before(async function () {
    await create({ provider: "5" });
    await create({ verifier: "7" });
    closed = `http://127.0.0.1:${await freePort()}`;
    scan = await new EscrowClient(address, ethers.provider).jobsOf(provider.address);
    expect(scan.length, "the provider has a job").to.equal(1);
  });

  it("SDK: an unreachable API falls back to the log scan and says why", async function () {
    const client = new EscrowClient(address, ethers.provider, { apiUrl: closed });
    expect(await client.jobsOf(provider.address), "same answer as the log scan").to.deep.equal(
      scan,
    );
    expect(client.jobsOfSource?.source, "answered from logs").to.equal("logs");
    expect(client.jobsOfSource?.reason, "the reason").to.equal(
      "the API does not answer (ECONNREFUSED)",
    );
    expect(client.connect(verifier).options.apiUrl, "connect keeps the options").to.equal(closed);

    // No answer within apiTimeoutMs counts as unreachable too.
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_, reject) =>
        init!.signal!.addEventListener("abort", () => reject(init!.signal!.reason)),
      );
    const slow = new EscrowClient(address, ethers.provider, {
      apiUrl: "http://api.example",
      apiTimeoutMs: 50,
      fetch: hanging,
    });
    expect(await slow.jobsOf(verifier.address), "timeout: the log scan").to.deep.equal(
      await new EscrowClient(address, ethers.provider).jobsOf(verifier.address),
    );
    expect(slow.jobsOfSource?.reason).to.equal("the API does not answer (timed out)");
  });

  it("SDK: with apiFallback false, an unreachable API throws ApiUnreachable", async function () {
    const client = new EscrowClient(address, ethers.provider, {
      apiUrl: closed,
      apiFallback: false,
    });
    const e = await rejection(client.jobsOf(provider.address));
    expect(e.decoded.name).to.equal("ApiUnreachable");
    expect(e.message).to.equal(
      `ApiUnreachable: the API at ${closed} does not answer (ECONNREFUSED)`,
    );
  });

  it("SDK: a bad URL, another escrow or chain, and an error status throw, never fall back", async function () {
    for (const url of ["127.0.0.1:42069", "not a url", "ftp://127.0.0.1/"]) {
      let thrown: unknown;
      try {
        new EscrowClient(address, ethers.provider, { apiUrl: url });
      } catch (err) {
        thrown = err;
      }
      expect((thrown as EscrowError)?.decoded?.name, `BadApiUrl for ${url}`).to.equal("BadApiUrl");
    }
    const health = {
      ok: true,
      chain: { id: 31337, name: "hardhat" },
      escrow: address.toLowerCase(),
      fund: community.address.toLowerCase(),
      indexed: { block: 1, timestamp: 1 },
      head: { block: 1, timestamp: 1 },
      lagBlocks: 0,
    };
    const cases: [typeof fetch, string, RegExp][] = [
      [
        answering({ ...health, escrow: treasury.address.toLowerCase() }),
        "ApiMismatch",
        /indexes the escrow 0x[0-9a-f]{40}, not 0x/,
      ],
      [
        answering({ ...health, chain: { id: 1, name: "mainnet" } }),
        "ApiMismatch",
        /chain 1, not chain 31337/,
      ],
      [answering("<html>"), "ApiMismatch", /is not a WorkEscrow API/],
      [answering({ ...health, indexed: null }), "ApiFailed", /has not indexed any block yet/],
      [
        answering({ error: "internal", message: "database gone" }, 500),
        "ApiFailed",
        /answered 500 \(internal\): database gone/,
      ],
    ];
    for (const [fetch, name, message] of cases) {
      const client = new EscrowClient(address, ethers.provider, {
        apiUrl: "http://api.example",
        fetch,
      });
      const e = await rejection(client.jobsOf(provider.address));
      expect(e.decoded.name, String(message)).to.equal(name);
      expect(e.message).to.match(message);
    }
  });

  it("escrow:list says where the list comes from; --api or WORKESCROW_API_URL unreachable or bad is `error: …`, exit 1", async function () {
    const logs = await list({ account: "5" });
    expect(logs.code, logs.err).to.equal(0);
    expect(logs.outLines[0], "the source line").to.equal("source: the escrow's logs from block 0");
    expect(logs.outLines[1]).to.equal(`1 job(s) for ${provider.address}`);

    const down = await list({ account: "5", api: closed });
    expect(down.code, "exit code").to.equal(1);
    expect(down.err).to.equal(
      `error: --api: the API at ${closed} does not answer (ECONNREFUSED) ` +
        "(start it with `npm run api -- --network default`, or leave out --api to scan logs)",
    );
    expect(down.outLines, "nothing listed").to.deep.equal([]);

    const bad = await list({ account: "5", api: "localhost:42069" });
    expect(bad.code).to.equal(1);
    expect(bad.err).to.match(/^error: --api: "localhost:42069" is not an http\(s\) URL/);
    expect(bad.err, "no stack trace").to.not.match(/\n\s+at /);

    const saved = process.env.WORKESCROW_API_URL;
    process.env.WORKESCROW_API_URL = closed;
    try {
      const fromEnv = await list({ account: "5" });
      expect(fromEnv.code).to.equal(1);
      expect(fromEnv.err).to.match(
        /^error: WORKESCROW_API_URL: the API at .* does not answer \(ECONNREFUSED\) .*leave out WORKESCROW_API_URL to scan logs\)$/,
      );
    } finally {
      if (saved === undefined) delete process.env.WORKESCROW_API_URL;
      else process.env.WORKESCROW_API_URL = saved;
    }
  });
});
