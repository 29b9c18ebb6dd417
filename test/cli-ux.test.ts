/**
 * Issue 16 as tests: the CLI as a new user meets it — help, forgetting --network, time on a local
 * node, every input checked before anything is sent with a message that names the case, the
 * missing tasks (token, credits, time), keystore keys per role, local records per port, and the
 * EVM requirement. In-process, through Hardhat's task runner (as `npx hardhat …` runs them).
 */
import { expect } from "chai";
import hre from "hardhat";
import { parseEther } from "ethers";
import { EscrowClient, parseDeadline } from "../sdk/index.js";
import { deploySuiteForTasks, runTask, type TaskRun } from "./helpers/tasks.js";
import { requireCancun } from "../tasks/context.js";

const { ethers, networkHelpers } = await hre.network.getOrCreate();
const signers = await ethers.getSigners();
const [admin, treasury, community, arbitrator, , provider, , verifier] = signers;

const address = await deploySuiteForTasks(ethers);
const client = new EscrowClient(address, ethers.provider);

async function task(
  name: string,
  args: Record<string, unknown>,
  withEscrow = true,
): Promise<TaskRun> {
  const defaults = name === "escrow:create" ? { arbitrator: arbitrator.address } : ({} as object);
  return runTask(name, { ...(withEscrow ? { escrow: address } : {}), ...defaults, ...args });
}

async function ok(
  name: string,
  args: Record<string, unknown> = {},
  withEscrow = name !== "escrow:time",
): Promise<string> {
  const r = await task(name, args, withEscrow);
  expect(r.code, `${name} failed: ${r.err}`).to.equal(0);
  return r.out;
}

/** Runs a task that must fail, checks nothing was sent from `from`, returns the error line. */
async function refused(
  name: string,
  args: Record<string, unknown>,
  from = admin.address,
  withEscrow = true,
): Promise<string> {
  const nonce = await ethers.provider.getTransactionCount(from);
  const r = await task(name, args, withEscrow);
  expect(r.code, `${name} must fail; printed ${r.out}`).to.equal(1);
  expect(await ethers.provider.getTransactionCount(from), `${name}: nothing sent`).to.equal(nonce);
  return r.err;
}

const idOf = (out: string) => BigInt(/job (\d+) created/.exec(out)![1]);

describe("CLI as a new user meets it (issue 16)", function () {
  describe("help", function () {
    it("no option prints its default twice or an empty default; escrow:admin help is not an error", async function () {
      const { getHelpString } = await import(
        // @ts-ignore -- Hardhat's own help printer (what `--help` prints)
        "hardhat/dist/src/internal/cli/help/get-help-string.js"
      ).catch(() => ({ getHelpString: undefined }));
      for (const t of [...hre.tasks.rootTasks.values()].filter((t) =>
        /^(escrow|fund|committee|court):/.test(t.id.join(" ")),
      )) {
        for (const [name, option] of t.options) {
          const d = option.description ?? "";
          const hasOwnDefault = /\(default[: ]/.test(d);
          const printed = option.defaultValue !== undefined;
          expect(
            hasOwnDefault && printed,
            `${t.id.join(" ")} --${name}: default given twice (${d} / ${String(option.defaultValue)})`,
          ).to.equal(false);
          expect(
            option.defaultValue,
            `${t.id.join(" ")} --${name}: prints "(default: )"`,
          ).to.not.equal("");
        }
        if (getHelpString) {
          const help: string = await getHelpString(t);
          expect(help, t.id.join(" ")).to.not.match(/\(default: \)|\(default[^)]*\) \(default/);
        }
      }
      const r = await task("escrow:admin", { action: "help" });
      expect(r.code).to.equal(0);
      expect(r.err).to.equal("");
      expect(r.out).to.match(/^usage: escrow:admin <action> \[values\]/);
      expect(await refused("escrow:admin", { action: "frobnicate" })).to.equal(
        "error: escrow:admin frobnicate: no such action; one of status, set-fees, set-recipients, set-arbitrator, arbitrator, set-min, pause, unpause, transfer-admin, accept-admin (escrow:admin help shows their values)",
      );
    });
  });

  describe("forgetting --network", function () {
    it("a task that needs a deployment names the in-process network and says to pass --network localhost", async function () {
      const err = await refused("escrow:show", { jobId: 1n }, admin.address, false);
      expect(err).to.match(
        /^error: `default` is Hardhat's in-process network \(chain 31337\): it starts empty at every command and has nothing deployed\. .*--network localhost/,
      );
      const code = await refused(
        "escrow:show",
        { jobId: 1n, escrow: "0x000000000000000000000000000000000000dEaD" },
        admin.address,
        false,
      );
      expect(code).to.match(
        /^error: no contract at 0x0+dEaD: `default` is Hardhat's in-process network/,
      );
    });

    it("npm run deploy without --network refuses before anything, naming the in-process network", async function () {
      const err = await refused("escrow:deploy", {}, admin.address, false);
      expect(err).to.match(
        /^error: no --network given: `default` is Hardhat's in-process network .*--network localhost.*--network hardhat` is a dry run/,
      );
    });
  });

  describe("every input checked before anything is sent, each message naming the case", function () {
    it("escrow:create", async function () {
      const cases: [Record<string, unknown>, string | RegExp][] = [
        [
          { amount: "1", spec: "x", provider: "3" },
          `error: WorkEscrowInvalidProvider: provider ${arbitrator.address} is the job's arbitrator: the provider cannot be the arbitrator`,
        ],
        [
          { amount: "1", spec: "x", provider: "0" },
          `error: WorkEscrowInvalidProvider: provider ${admin.address} is the requester: the provider cannot be the requester`,
        ],
        [
          { amount: "-1", spec: "x" },
          "error: --amount -1 is negative: give an amount in whole tokens, e.g. 1.5",
        ],
        [
          { amount: "50000", spec: "x" },
          /^error: --amount 50000 needs 50000\.0 ETH but 0x\w+ holds \d{4}\.\d+ ETH \(and gas comes on top\)$/,
        ],
        [
          { amount: "1", spec: "x", deadline: "1764547200000" },
          /^error: --deadline: "1764547200000" looks like unix milliseconds: give unix seconds \(1764547200, 2025-12-01T00:00:00Z\), an ISO date or a duration$/,
        ],
        [
          { amount: "1", spec: "x", deadline: "2099-01-01T00:00:00Z" },
          /^error: --deadline 2099-01-01T00:00:00Z is 2099-01-01T00:00:00Z: more than \d+d ahead \(the escrow's MAX_DURATION; the latest is .*\)$/,
        ],
        [
          { amount: "1", spec: "x", deadline: "9m" },
          /^error: --deadline 9m is .*: it must leave at least 10m of work \(the earliest is .*\)$/,
        ],
        [
          { amount: "1", spec: "x", threshold: "two" },
          "error: --threshold two must be a whole number of approvals",
        ],
        [
          { amount: "1", spec: "x", approvers: "8", threshold: "2" },
          "error: WorkEscrowInvalidThreshold: threshold 2 is more than the 1 approver(s)",
        ],
        [
          { amount: "1", spec: "x", approvers: "5", provider: "5" },
          `error: WorkEscrowInvalidApprover: approver ${provider.address} is the provider: approvers are distinct and hold no other role in the job`,
        ],
        [
          { amount: "1", spec: "x", verifier: "5", provider: "5" },
          `error: WorkEscrowInvalidVerifier: verifier ${provider.address} is the provider: a verifier holds no other role in the job`,
        ],
        [{ amount: "1", spec: "x", review: "soon" }, /^error: --review: "soon" is not a duration/],
        [
          { amount: "1", spec: "x", arbitrator: "0" },
          `error: WorkEscrowArbitratorNotRegistered: arbitrator ${admin.address} is the requester: a requester cannot arbitrate their own job`,
        ],
      ];
      for (const [args, expected] of cases) {
        const err = await refused("escrow:create", args);
        if (typeof expected === "string") expect(err, JSON.stringify(args)).to.equal(expected);
        else expect(err, JSON.stringify(args)).to.match(expected);
      }
    });

    it("job tasks on a job that does not exist say so, as show does", async function () {
      const count = await client.contract.jobCount();
      for (const [name, args] of [
        ["escrow:release", {}],
        ["escrow:show", {}],
        ["escrow:submit", { result: "r" }],
        ["escrow:evidence", { uri: "ipfs://x" }],
        ["escrow:propose", { bps: "5000" }],
        ["escrow:accept", {}],
        // the arbitration, bid and ERC-8004 tasks word it the same way (before anything else)
        ["escrow:vote", { bps: "5000" }],
        ["escrow:court-apply-ruling", {}],
        ["escrow:arbitration-collect-fee", {}],
        ["escrow:arbitration", {}],
        ["escrow:bid", { price: "1" }],
        ["escrow:bids", {}],
        ["escrow:validate", { adapter: address }],
      ] as const) {
        expect(await refused(name, { jobId: 999n, ...args }), name).to.equal(
          `error: job 999 does not exist (jobs: ${count})`,
        );
      }
    });

    it("escrow:admin: values, the caller's role and the pending admin are checked first", async function () {
      expect(
        await refused("escrow:admin", { action: "set-fees", values: ["abc", "1", "1"] }),
      ).to.equal(
        "error: set-fees: the platform fee abc must be a whole number of basis points (0..10000)",
      );
      expect(await refused("escrow:admin", { action: "set-fees", values: ["1", "1"] })).to.match(
        /^error: escrow:admin set-fees takes 3 value\(s\), got 2: set-fees <platform> <community> <arbitration>/,
      );
      expect(
        await refused(
          "escrow:admin",
          { action: "set-fees", values: ["1", "1", "1"], from: "5" },
          provider.address,
        ),
      ).to.equal(
        `error: ${provider.address} is not the admin of this escrow (the admin is ${admin.address}): pass --from with the admin's account`,
      );
      expect(await refused("escrow:admin", { action: "transfer-admin", values: ["zz"] })).to.equal(
        "error: transfer-admin zz: the new admin must be an address or an account index",
      );
      expect(await refused("escrow:admin", { action: "transfer-admin", values: ["99"] })).to.equal(
        "error: transfer-admin 99: the new admin is an address or an account index, and this network has 20 account(s)",
      );
      expect(
        await refused("escrow:admin", { action: "accept-admin", from: "5" }, provider.address),
      ).to.equal(
        `error: no admin transfer is pending: the admin (${admin.address}) starts one with escrow:admin transfer-admin <address>`,
      );
      const out = await ok("escrow:admin", { action: "transfer-admin", values: ["14"] });
      expect(out).to.include(`admin transfer started: ${signers[14].address} becomes the admin`);
      expect(
        await refused("escrow:admin", { action: "accept-admin", from: "5" }, provider.address),
      ).to.equal(
        `error: ${provider.address} is not the pending admin: only ${signers[14].address} can accept (pass --from with that account)`,
      );
      // hand it back: 14 accepts, then transfers to 0, which accepts
      await ok("escrow:admin", { action: "accept-admin", from: "14" });
      await ok("escrow:admin", { action: "transfer-admin", values: ["0"], from: "14" });
      await ok("escrow:admin", { action: "accept-admin" });
    });
  });

  describe("time on a local node", function () {
    it("escrow:time shows the block time, moves it forward by --advance or --to, and refuses to go back", async function () {
      const before = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      expect(await ok("escrow:time", {})).to.match(/^latest block time on default: /);
      const out = await ok("escrow:time", { advance: "2d" });
      expect(out).to.match(/block time moved from .* \(\+2d; one block mined\)/);
      const after = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      expect(after - before).to.equal(2n * 86_400n);
      expect(
        await refused("escrow:time", { to: "2020-01-01T00:00:00Z" }, admin.address, false),
      ).to.match(
        /^error: --to 2020-01-01T00:00:00Z is 2020-01-01T00:00:00Z, not after the latest block .*: a chain's clock only moves forward$/,
      );
      const target = after + 3600n;
      await ok("escrow:time", { to: String(target) });
      expect(BigInt((await ethers.provider.getBlock("latest"))!.timestamp)).to.equal(target);
    });

    it("escrow:show on an idle node shows windows against the later of the clock and the block time, and says which", async function () {
      const id = idOf(await ok("escrow:create", { amount: "1", provider: "5", spec: "idle" }));
      const out = await ok("escrow:show", { jobId: id });
      expect(out).to.match(/^next for 0x\w+ \((block time|clock) /m);
      // An idle node: the clock runs ahead of the last block. Nothing is offered "from" a past time.
      const { time } = networkHelpers;
      const latest = BigInt(await time.latest());
      const wall = BigInt(Math.floor(Date.now() / 1000));
      if (latest < wall) {
        expect(out).to.include("the latest block is older");
      }
      for (const m of out.matchAll(/ from (\d{4}-\d\d-\d\dT[\d:]+Z)/g)) {
        expect(Date.parse(m[1]) / 1000, `an action from ${m[1]}`).to.be.greaterThan(
          Math.max(Number(latest), Number(wall)) - 1,
        );
      }
    });
  });

  describe("missing tasks and output", function () {
    it("escrow:token deploys a test ERC-20 with decimals and mints it; a token job can then be tried", async function () {
      const out = await ok("escrow:token", {
        action: "deploy",
        decimals: "6",
        amount: "500",
        to: "0,5",
      });
      const token = /deployed at (0x[0-9a-fA-F]{40})/.exec(out)![1];
      expect(out).to.include(
        `minted 500.0 TUSD to 2 account(s): ${admin.address}, ${provider.address}`,
      );
      const erc20 = new ethers.Contract(
        token,
        ["function balanceOf(address) view returns (uint256)"],
        ethers.provider,
      );
      expect(await erc20.balanceOf(provider.address)).to.equal(500_000_000n);
      expect(await refused("escrow:token", { action: "mint", amount: "1" })).to.equal(
        "error: --token <address> is required: the token to mint",
      );
      expect(await refused("escrow:token", { action: "burn" })).to.equal(
        "error: escrow:token burn: use deploy or mint",
      );
      expect(await refused("escrow:token", { action: "deploy", decimals: "77" })).to.equal(
        "error: --decimals 77 must be a whole number from 0 to 36",
      );
      // a token job: more than the balance is refused with token amounts, before any approval
      expect(await refused("escrow:create", { amount: "501", spec: "t", token })).to.match(
        /^error: --amount 501 needs 501\.0 TUSD but 0x\w+ holds 500\.0 TUSD$/,
      );
      const id = idOf(
        await ok("escrow:create", { amount: "100", spec: "t", token, provider: "5" }),
      );
      expect((await client.getJob(id)).amount).to.equal(100_000_000n);
    });

    it("show has the dispute reason, the evidence links and the split; resolve prints amounts; credits lists what to withdraw", async function () {
      const id = idOf(await ok("escrow:create", { amount: "1", provider: "5", spec: "d" }));
      await ok("escrow:accept", { jobId: id, from: "5" });
      await ok("escrow:submit", { jobId: id, from: "5", result: "r" });
      await ok("escrow:dispute", { jobId: id, reason: "half the rows are missing" });
      await ok("escrow:evidence", { jobId: id, uri: "ipfs://bafy-evidence" });
      const resolved = await ok("escrow:resolve", { jobId: id, from: "3", bps: "7000" });
      expect(resolved).to.match(
        /resolved by the arbitrator at 7000 bps: 0\.\d+ ETH to the provider, 0\.\d+ ETH to the requester, fees .* platform \+ .* community \+ .* arbitration/,
      );
      const out = await ok("escrow:show", { jobId: id });
      expect(out).to.include('dispute reason   "half the rows are missing"');
      expect(out).to.include(`evidence         ipfs://bafy-evidence (from ${admin.address})`);
      expect(out).to.match(
        /split            70% to the provider \(ruled by the arbitrator\): 0\.\d+ ETH to the provider, 0\.\d+ ETH to the requester, fees/,
      );
      const credits = await ok("escrow:credits", { from: "1" });
      expect(credits).to.match(/^0\.\d+ ETH .*withdraw: npx hardhat escrow:withdraw --from 1/m);
      expect(await ok("escrow:credits", { account: "9" })).to.equal(
        `${signers[9].address} has nothing to withdraw`,
      );
    });

    it("--from keystore:NAME acts with a key from the keystore or the environment", async function () {
      const wallet = ethers.Wallet.createRandom();
      await admin.sendTransaction({ to: wallet.address, value: parseEther("5") });
      process.env.WORKESCROW_TEST_REQUESTER_KEY = wallet.privateKey;
      try {
        const out = await ok("escrow:create", {
          amount: "1",
          provider: "5",
          spec: "k",
          from: "keystore:WORKESCROW_TEST_REQUESTER_KEY",
        });
        expect((await client.getJob(idOf(out))).requester).to.equal(wallet.address);
      } finally {
        delete process.env.WORKESCROW_TEST_REQUESTER_KEY;
      }
      expect(
        await refused("escrow:create", { amount: "1", spec: "k", from: "keystore:NO_SUCH_KEY" }),
      ).to.equal(
        "error: --from keystore:NO_SUCH_KEY: no key NO_SUCH_KEY in the keystore or the environment: add it with `npx hardhat keystore set NO_SUCH_KEY` (with --dev for the development keystore that local networks read)",
      );
    });
  });

  describe("EVM requirement", function () {
    it("requireCancun passes on Prague and refuses a Shanghai chain (no TSTORE/MCOPY) before anything is sent", async function () {
      await requireCancun(ethers.provider, "default");
      const shanghai = await hre.network.create({ override: { hardfork: "shanghai" } as never });
      let message = "";
      try {
        await requireCancun(shanghai.ethers.provider, "shanghai-chain");
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).to.match(
        /^shanghai-chain does not run Cancun's opcodes \(TSTORE\/TLOAD, MCOPY, PUSH0\): WorkEscrow needs an EVM at Cancun or later/,
      );
      await shanghai.close();
    });
  });

  it("parseDeadline: 10 digits are unix seconds; 11 or more are refused as milliseconds", function () {
    expect(parseDeadline("1764547200", 0n)).to.equal(1764547200n);
    expect(() => parseDeadline("17645472000", 0n)).to.throw(/looks like unix milliseconds/);
  });
});
