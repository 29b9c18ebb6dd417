/**
 * What `npm run api` derives before starting Ponder (scripts/lib/indexer.ts): the deployment from
 * Ignition's record, the database schema per deployment and indexer version, and the environment.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { apiEnv, readDeployment, schemaFor } from "../../scripts/lib/indexer.js";

const ESCROW = "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9";
const FUND = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("npm run api: deployment, schema, environment", function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "workescrow-launcher-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads addresses from deployed_addresses.json and deployment blocks from the journal", function () {
    writeFileSync(
      path.join(dir, "deployed_addresses.json"),
      JSON.stringify({ "CommunityFund#CommunityFund": FUND, "WorkEscrow#WorkEscrow": ESCROW }),
    );
    const receipt = (address: string, blockNumber: number) =>
      JSON.stringify({
        type: "TRANSACTION_CONFIRM",
        receipt: { blockNumber, contractAddress: address },
      });
    writeFileSync(
      path.join(dir, "journal.jsonl"),
      [
        JSON.stringify({ type: "RUN_START", chainId: 31337 }),
        receipt(FUND, 1),
        receipt("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", 2),
        receipt(ESCROW.toLowerCase(), 4),
      ].join("\n"),
    );
    expect(readDeployment(dir)).to.deep.equal({
      escrow: ESCROW,
      fund: FUND,
      escrowBlock: 4,
      fundBlock: 1,
    });
  });

  it("has no deployment without the addresses file or without the escrow in it", function () {
    expect(readDeployment(dir), "empty folder").to.equal(undefined);
    writeFileSync(path.join(dir, "deployed_addresses.json"), JSON.stringify({ "X#Y": FUND }));
    expect(readDeployment(dir), "no escrow").to.equal(undefined);
  });

  it("gives one schema per chain, escrow and deployment block hash; the same inputs the same schema", function () {
    const a = schemaFor(31337, ESCROW, `0x${"ab".repeat(32)}`);
    expect(a).to.match(/^workescrow_31337_[0-9a-f]{12}$/);
    expect(a.length, "Ponder's limit is 45 characters").to.be.at.most(45);
    expect(
      schemaFor(31337, ESCROW.toLowerCase(), `0x${"AB".repeat(32)}`),
      "case-insensitive",
    ).to.equal(a);
    expect(
      schemaFor(31337, ESCROW, `0x${"cd".repeat(32)}`),
      "a redeployed local chain",
    ).to.not.equal(a);
    expect(schemaFor(1, ESCROW, `0x${"ab".repeat(32)}`), "another chain").to.not.equal(a);
    expect(schemaFor(31337, FUND, `0x${"ab".repeat(32)}`), "another escrow").to.not.equal(a);
  });

  it("passes the deployment to Ponder in its environment, PostgreSQL only when asked, no telemetry", function () {
    const deployment = { escrow: ESCROW, fund: FUND, escrowBlock: 4, fundBlock: 1 };
    const base = {
      rpcUrl: "http://127.0.0.1:8545",
      chainId: 31337,
      network: "localhost",
      deployment,
      schema: "s",
    };
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgresql://elsewhere";
    try {
      const env = apiEnv(base);
      expect(env).to.include({
        WORKESCROW_RPC_URL: "http://127.0.0.1:8545",
        WORKESCROW_CHAIN_ID: "31337",
        WORKESCROW_ADDRESS: ESCROW,
        WORKESCROW_START_BLOCK: "4",
        WORKESCROW_FUND_ADDRESS: FUND,
        WORKESCROW_FUND_START_BLOCK: "1",
        DATABASE_SCHEMA: "s",
        PONDER_TELEMETRY_DISABLED: "true",
      });
      expect(env.DATABASE_URL, "an inherited DATABASE_URL is not used unless passed").to.equal(
        undefined,
      );
      expect(apiEnv({ ...base, databaseUrl: "postgresql://x" }).DATABASE_URL).to.equal(
        "postgresql://x",
      );
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });
});
