/**
 * Where the app finds its escrow (app/deployment.ts, served as /workescrow.json): the environment
 * first, then the deployment record `npm run deploy` writes (Ignition's deployed_addresses.json for
 * the addresses, its journal for the deployment block). No browser needed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { journalBlock, readAppConfig } from "../../app/deployment.js";

const ESCROW = "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9";
const FUND = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

/** A deployment record as Ignition writes it (only the lines and fields the app reads, plus neighbours). */
function writeRecord(root: string, id: string, block: number) {
  const dir = path.join(root, "deploy", "deployments", id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "deployed_addresses.json"),
    JSON.stringify(
      { "CommunityFund#CommunityFund": FUND, "WorkEscrow#WorkEscrow": ESCROW },
      null,
      2,
    ),
  );
  const lines = [
    { futureId: "WorkEscrow#WorkEscrow", type: "TRANSACTION_SEND", nonce: 3 },
    {
      futureId: "WorkEscrow#WorkEscrowExtension",
      type: "TRANSACTION_CONFIRM",
      receipt: { blockNumber: block - 1, contractAddress: FUND, status: "SUCCESS" },
    },
    {
      futureId: "WorkEscrow#WorkEscrow",
      type: "TRANSACTION_CONFIRM",
      receipt: { blockNumber: block, contractAddress: ESCROW, status: "SUCCESS" },
    },
  ];
  writeFileSync(path.join(dir, "journal.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n"));
}

describe("app configuration (app/deployment.ts)", function () {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(tmpdir(), "workescrow-app-"))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("reads the escrow, the fund and the deployment block from the local node's deployment record", function () {
    writeRecord(root, "chain-31337", 4);
    const config = readAppConfig(root, {});
    expect(config).to.deep.equal({
      chainId: 31337,
      rpcUrl: "http://127.0.0.1:8545",
      escrow: ESCROW,
      fund: FUND,
      deploymentBlock: 4,
      apiUrl: null,
      source: "deployment record deploy/deployments/chain-31337",
    });
  });

  it("follows WORKESCROW_DEPLOYMENT_ID and LOCALHOST_RPC_URL as the tasks do", function () {
    writeRecord(root, "chain-31337", 4);
    writeRecord(root, "try-1", 9);
    const config = readAppConfig(root, {
      WORKESCROW_DEPLOYMENT_ID: "try-1",
      LOCALHOST_RPC_URL: "http://127.0.0.1:9545",
    });
    expect(config.deploymentBlock, "the other record's journal").to.equal(9);
    expect(config.rpcUrl).to.equal("http://127.0.0.1:9545");
    expect(config.chainId, "not named after a chain: asked from the node").to.equal(null);
  });

  it("takes the environment over the record, and the API URL without a trailing slash", function () {
    writeRecord(root, "chain-31337", 4);
    const other = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
    const config = readAppConfig(root, {
      VITE_WORKESCROW_ADDRESS: other,
      VITE_WORKESCROW_DEPLOYMENT_BLOCK: "120",
      VITE_RPC_URL: "https://rpc.example",
      VITE_CHAIN_ID: "84532",
      VITE_WORKESCROW_API_URL: "https://api.example/v1/",
    });
    expect(config).to.deep.equal({
      chainId: 84532,
      rpcUrl: "https://rpc.example",
      escrow: other,
      fund: null,
      deploymentBlock: 120,
      apiUrl: "https://api.example/v1",
      source: "environment (VITE_WORKESCROW_ADDRESS)",
    });
    // The block alone overrides the journal's.
    expect(readAppConfig(root, { VITE_WORKESCROW_DEPLOYMENT_BLOCK: "2" }).deploymentBlock).to.equal(
      2,
    );
  });

  it("says what is missing instead of guessing, and refuses malformed values", function () {
    const none = readAppConfig(root, {});
    expect(none.escrow).to.equal(null);
    expect(none.source).to.equal(
      "none (no deploy/deployments/chain-31337/deployed_addresses.json)",
    );
    expect(() => readAppConfig(root, { VITE_WORKESCROW_ADDRESS: "0x1234" })).to.throw(
      "VITE_WORKESCROW_ADDRESS=0x1234 is not an address",
    );
    expect(() => readAppConfig(root, { VITE_WORKESCROW_DEPLOYMENT_BLOCK: "-1" })).to.throw(
      "is not a whole number",
    );
  });

  it("finds the escrow's block in a journal only on its own confirmation line", function () {
    const journal = [
      '{"futureId":"WorkEscrow#WorkEscrow","type":"TRANSACTION_SEND"}',
      "{ partly written",
      `{"futureId":"WorkEscrow#WorkEscrow","receipt":{"blockNumber":12,"contractAddress":"${FUND}"}}`,
      `{"futureId":"WorkEscrow#WorkEscrow","receipt":{"blockNumber":13,"contractAddress":"${ESCROW.toLowerCase()}"}}`,
    ].join("\n");
    expect(journalBlock(journal, ESCROW)).to.equal(13);
    expect(journalBlock(journal, "0x0000000000000000000000000000000000000001")).to.equal(0);
  });
});
