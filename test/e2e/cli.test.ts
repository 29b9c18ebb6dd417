/**
 * End to end, as a user runs it: a real `hardhat node` on 127.0.0.1 (a free port), the Ignition
 * deployment through `escrow:deploy` (forwarder, extension, core, community fund), then the
 * `escrow:*` tasks as separate processes whose printed output is parsed, and the outcome checked
 * on-chain over JSON-RPC; and the SDK driven by local ethers Wallets against the same node (nonces).
 * The node is always stopped.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { HDNodeWallet, JsonRpcProvider, Wallet, getAddress, parseEther } from "ethers";
import {
  ArbitrationError,
  CommitteeClient,
  CommunityFund__factory,
  EscrowClient,
  EscrowError,
  IWorkEscrow__factory,
  NATIVE,
  Status,
  cancelBids,
  createJob as fundJob,
  hashContent,
  jobParams,
} from "../../sdk/index.js";
import { hardhat as runHardhat, type Run } from "../helpers/localChain.js";
import { freePort, startHardhatNode, type Server } from "../helpers/servers.js";
// Hardhat node's well-known accounts (deploy/parameters/localhost.json uses #0..#3).
const ACCOUNT = {
  requester: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", // #0, also the admin
  treasury: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", // #1
  arbitrator: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", // #3
  provider: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc", // #5
  newArbitrator: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", // #8
  keeper: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", // #9
};
const MNEMONIC = "test test test test test test test test test test test junk";

describe("CLI end to end (hardhat node on 127.0.0.1)", function () {
  this.timeout(600_000); // ~30 hardhat processes; minutes on a busy 2-core machine
  let node: Server | undefined;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let deploymentId: string;
  let rpc: JsonRpcProvider;
  let address: string;

  /** Runs `hardhat <args> --network localhost` as a user would; resolves with its exit code and output. */
  function hardhat(...args: string[]): Promise<Run> {
    return runHardhat([...args, "--network", "localhost"], env);
  }

  async function ok(...args: string[]): Promise<string> {
    const r = await hardhat(...args);
    expect(r.code, `hardhat ${args.join(" ")} failed:\n${r.out}\n${r.err}`).to.equal(0);
    expect(r.err, `hardhat ${args.join(" ")} printed an error`).to.not.match(/^error:/m);
    return r.out;
  }

  /** A task that must fail: exit code 1 and one `error: …` line, which is returned. */
  async function fails(...args: string[]): Promise<string> {
    const r = await hardhat(...args);
    expect(r.code, `hardhat ${args.join(" ")} must fail:\n${r.out}`).to.equal(1);
    const line = /^error: .*$/m.exec(r.err);
    expect(line, `hardhat ${args.join(" ")} prints an error line:\n${r.err}`).to.not.equal(null);
    return line![0];
  }

  const idOf = (out: string) => BigInt(/job (\d+) created/.exec(out)![1]);
  const wallet = (i: number) =>
    HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).connect(rpc);

  before(async function () {
    port = await freePort();
    deploymentId = `e2e-${port}`;
    env = {
      ...process.env,
      LOCALHOST_RPC_URL: `http://127.0.0.1:${port}`,
      WORKESCROW_DEPLOYMENT_ID: deploymentId,
    };
    node = await startHardhatNode(port, env);
    rpc = new JsonRpcProvider(`http://127.0.0.1:${port}`);
  });

  after(async function () {
    rpc?.destroy();
    await node?.stop();
    if (deploymentId)
      rmSync(path.join("deploy", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("deploys the v2 suite and drives jobs from the CLI (happy path, a dispute with its deposit, a keeper's batch), in token amounts", async function () {
    // Every task and its input checks also run in-process in test/tasks.test.ts; here, a subset as
    // separate processes against a real node.
    const deployed = await ok("escrow:deploy");
    address = /WorkEscrow deployed at (0x[0-9a-fA-F]{40})/.exec(deployed)![1];
    expect(deployed).to.match(/forwarder\s+0x[0-9a-fA-F]{40} \(ERC-2771, trusted by the escrow\)/);
    // Deploying twice is idempotent (Ignition's journal): same address, nothing sent.
    const again = await ok("escrow:deploy");
    expect(again).to.include("Nothing new to deploy");
    expect(again).to.include(address);

    const escrow = new EscrowClient(address, rpc);
    const config = await escrow.config();
    expect(config.treasury).to.equal(ACCOUNT.treasury);
    expect(config.trustedForwarder, "the forwarder is wired").to.not.equal(NATIVE);
    expect(await escrow.contract.isArbitrator(ACCOUNT.arbitrator)).to.equal(true);

    // Input is checked before anything is sent: a 5-minute deadline leaves no time to work.
    const nonce = await rpc.getTransactionCount(ACCOUNT.requester);
    expect(
      await fails("escrow:create", "--amount", "1", "--deadline", "5m", "--spec", "too quick"),
    ).to.match(
      /^error: --deadline 5m is .*: it must leave at least 10m of work \(the earliest is .*\)$/,
    );
    expect(await rpc.getTransactionCount(ACCOUNT.requester), "nothing was sent").to.equal(nonce);

    // Happy path: requester #0 pays 2 ETH to provider #5.
    const created = await ok(
      "escrow:create",
      "--amount",
      "2",
      "--provider",
      ACCOUNT.provider,
      "--deadline",
      "1d",
      "--spec",
      "transcode 40 videos",
    );
    expect(created).to.match(/job \d+ created: 2\.0 ETH escrowed/);
    const jobId = idOf(created);
    await ok("escrow:accept", String(jobId), "--from", "5");
    // A revert is printed as the decoded custom error, in words, with a failing exit code.
    expect(await fails("escrow:accept", String(jobId), "--from", "5")).to.include(
      `error: WorkEscrowInvalidStatus: job ${jobId} is Accepted`,
    );
    await ok("escrow:submit", String(jobId), "--from", "5", "--result", "40 files, sha256 ...");
    const shown = await ok("escrow:show", String(jobId));
    expect(shown).to.match(/status\s+Submitted/);
    expect(shown).to.match(/dispute deposit\s+0\.04 ETH to dispute now/);
    expect(shown).to.match(/escrow:release\s+accept the work and pay the provider now/);
    expect(shown).to.match(
      /escrow:dispute\s+raise a dispute, posting the deposit now, until .* \(pays 0\.04 ETH\)/,
    );
    const released = await ok("escrow:release", String(jobId));
    expect(released).to.include(
      `job ${jobId} released: 1.97 ETH to the provider ${ACCOUNT.provider}, fees 0.02 ETH platform + 0.01 ETH community`,
    );
    expect((await escrow.getJob(jobId)).status).to.equal(Status.Released);

    // Dispute path: the provider disputes delivered work paying 2% of 1 ETH, the arbitrator (#3)
    // rules 60% to the provider: not fully against it, so the deposit comes back.
    const disputedId = idOf(
      await ok("escrow:create", "--amount", "1", "--provider", "5", "--spec", "job two"),
    );
    await ok("escrow:accept", String(disputedId), "--from", "5");
    await ok("escrow:submit", String(disputedId), "--from", "5", "--result", "two");
    expect(
      await ok("escrow:dispute", String(disputedId), "--from", "5", "--reason", "unpaid"),
    ).to.match(/disputed, deposit 0\.02 ETH paid .* can rule until /);
    const ruling = await ok("escrow:resolve", String(disputedId), "--from", "3", "--bps", "6000");
    expect(ruling).to.include(
      `job ${disputedId} resolved by the arbitrator at 6000 bps: 0.57918 ETH to the provider, 0.392 ETH to the requester, fees 0.00588 ETH platform + 0.00294 ETH community + 0.02 ETH arbitration`,
    );
    expect(ruling).to.include(`dispute deposit: 0.02 ETH to ${ACCOUNT.provider}`);

    // A keeper finalises what is due, in one batch, and earns the tip.
    const d = idOf(
      await ok(
        "escrow:create",
        "--amount",
        "1",
        "--tip",
        "0.01",
        "--deadline",
        "11m",
        "--spec",
        "d",
      ),
    );
    expect(await ok("escrow:finalize", "--all-open", "--from", "9")).to.include(
      "nothing to finalise: no job has an open permissionless exit",
    );
    await rpc.send("evm_increaseTime", [700]);
    await rpc.send("evm_mine", []);
    const batch = await ok("escrow:finalize", "--all-open", "--from", "9");
    expect(batch).to.include(`finalised 1 of 1 job(s): #${d}`);
    expect(batch).to.include(`keeper tip from job ${d}: 0.01 ETH to ${ACCOUNT.keeper}`);

    // The treasury withdraws its platform fees: 1% of job 1's 2 ETH, and 1% of the provider's share
    // of job 2 after the 2% arbitration fee (1 ETH × 0.98 × 60% × 1% = 0.00588).
    expect(await ok("escrow:withdraw", "--from", "1")).to.include("withdrew 0.02588 ETH");
    expect(await escrow.withdrawable(NATIVE, ACCOUNT.treasury)).to.equal(0n);

    // Admin tasks: the admin (#0) reads and changes settings; anyone else gets the decoded error.
    expect(await ok("escrow:admin", "status")).to.match(
      /fees \(bps\)\s+platform 100, community 50, arbitration 200/,
    );
    expect(
      await ok("escrow:admin", "set-arbitrator", ACCOUNT.newArbitrator, "true", "--period", "14d"),
    ).to.include(`arbitrator ${ACCOUNT.newArbitrator} registered, arbitration period 2w`);
    expect(await escrow.arbitratorInfo(ACCOUNT.newArbitrator)).to.deep.equal({
      registered: true,
      arbitrationPeriod: 14n * 86_400n,
    });
    expect(await fails("escrow:admin", "pause", "--from", "7")).to.match(
      /^error: 0x[0-9a-fA-F]{40} is not the admin of this escrow \(the admin is 0x[0-9a-fA-F]{40}\): pass --from with the admin's account$/,
    );

    // list is rebuilt from events.
    const listed = await ok("escrow:list", "--account", "5");
    expect(listed).to.include("2 job(s) for");
    expect(listed).to.match(new RegExp(`#${jobId}\\s+Released\\s+2\\.0 ETH.*as provider`));
    expect(listed).to.match(new RegExp(`#${disputedId}\\s+Resolved\\s+1\\.0 ETH.*as provider`));

    // The chain agrees with what was printed: the escrow holds exactly the credits still owed.
    const fund = config.communityFund;
    const communityCredit = await escrow.withdrawable(NATIVE, fund);
    const arbitratorCredit = await escrow.withdrawable(NATIVE, ACCOUNT.arbitrator);
    // community: 0.5% of 2 ETH + 0.5% of 0.588 ETH; arbitrator: 2% of 1 ETH
    expect([communityCredit, arbitratorCredit]).to.deep.equal([
      parseEther("0.01294"),
      parseEther("0.02"),
    ]);
    expect(await rpc.getBalance(address)).to.equal(communityCredit + arbitratorCredit);

    // The community fee goes back to the providers: the fund collects it, a round is built from the
    // escrow's events, posted, and provider #5 (the only one) claims it after the challenge delay.
    expect(await ok("fund:collect")).to.include("collected 0.01294 ETH");
    const treeFile = path.join("deploy", "deployments", deploymentId, "round-1.json");
    const built = await ok("fund:build-round", "--out", treeFile);
    const root = /root (0x[0-9a-f]{64})/.exec(built)![1];
    expect(built).to.include("total 0.01294 ETH to 1 account(s)");
    expect(await ok("fund:post-round", "--tree", treeFile)).to.include(
      `round 1 posted: 0.01294 ETH, root ${root}`,
    );
    expect(await fails("fund:claim", "--tree", treeFile, "--from", "5")).to.include(
      "error: CommunityFundClaimsNotOpen: round 1 opens for claims at",
    );
    await rpc.send("evm_increaseTime", [3600]);
    await rpc.send("evm_mine", []);
    // Only the entry's account may send its claim elsewhere (--to): refused before sending.
    const redirected = await hardhat(
      "fund:claim",
      "--tree",
      treeFile,
      "--account",
      ACCOUNT.provider,
      "--from",
      "9",
      "--to",
      "9",
    );
    expect(redirected.code).to.equal(1);
    expect(redirected.err).to.include("only the entry's account can send its claim elsewhere");
    const accounts = ((await rpc.send("eth_accounts", [])) as string[]).map((a) => getAddress(a));
    const elsewhere = accounts[8];
    const before = await rpc.getBalance(elsewhere);
    expect(await ok("fund:claim", "--tree", treeFile, "--from", "5", "--to", "8")).to.include(
      `claimed 0.01294 ETH from round 1 for ${ACCOUNT.provider}, paid to ${elsewhere}`,
    );
    expect((await rpc.getBalance(elsewhere)) - before).to.equal(parseEther("0.01294"));
    expect(await rpc.getBalance(fund)).to.equal(0n);

    // Fund settings: the threshold at once; guardian and schedule proposed, applied after the
    // challenge delay (1 hour here); inputs are checked before anything is sent.
    expect(await ok("fund:set-threshold", "--amount", "0.02")).to.include(
      "threshold of ETH is now 0.02 ETH",
    );
    const badDelay = await hardhat("fund:set-schedule", "--delay", "10m");
    expect(badDelay.code).to.equal(1);
    expect(badDelay.err).to.include("error: --delay 10m is outside 1h..30d");
    const proposed = await ok("fund:set-schedule", "--delay", "2h");
    expect(proposed).to.include(
      "schedule proposed: a round per token every 1d, challenge delay 2h",
    );
    expect(proposed).to.match(/can be applied from \S+ \(after the challenge delay in force, 1h\)/);
    expect(await ok("fund:set-guardian", "9")).to.include(`guardian proposed: ${accounts[9]}`);
    const tooSoon = await hardhat("fund:apply-changes");
    expect(tooSoon.code).to.equal(1);
    expect(tooSoon.err).to.match(/error: nothing to apply yet: guardian 0x[0-9a-fA-F]{40}, can be/);
    const status = await ok("fund:status");
    expect(status).to.match(/#1 0\.01294 ETH: claimed 0\.01294 ETH, unclaimed 0\.0 ETH/);
    expect(status).to.match(/covers payments until \S+; its guardian 0x[0-9a-fA-F]{40}/);
    expect(status).to.match(/pending\s+schedule a round per token every 1d/);
    await rpc.send("evm_increaseTime", [3600]);
    await rpc.send("evm_mine", []);
    const applied = await ok("fund:apply-changes", "--from", "7"); // anyone
    expect(applied).to.include(`guardian is now ${accounts[9]}`);
    expect(applied).to.include("schedule is now a round per token every 1d, challenge delay 2h");
    const fundContract = CommunityFund__factory.connect(fund, rpc);
    expect(await fundContract.guardian()).to.equal(accounts[9]);
    expect(await fundContract.challengeDelay()).to.equal(7200n);
    expect((await fundContract.tokenState(NATIVE)).threshold).to.equal(parseEther("0.02"));
  });

  it("the SDK with local Wallets: back-to-back and concurrent transactions get their own nonces; every failure is an EscrowError", async function () {
    expect(address, "deployed by the test above").to.match(/^0x/);
    const requester = new EscrowClient(address, wallet(4));
    const provider = requester.connect(wallet(6));
    const now = BigInt((await rpc.getBlock("latest"))!.timestamp);
    const terms = {
      amount: parseEther("0.5"),
      deadline: now + 86_400n,
      jobHash: hashContent("nonce test"),
      arbitrator: ACCOUNT.arbitrator,
      provider: wallet(6).address,
    };
    // Two creations at once from one Wallet: one broadcast at a time, distinct nonces.
    const [j1, j2] = await Promise.all([requester.createJob(terms), requester.createJob(terms)]);
    const nonces = await Promise.all(
      [j1, j2].map(async (j) => (await rpc.getTransaction(j.receipt.hash))!.nonce),
    );
    expect(Math.abs(nonces[0] - nonces[1]), `nonces ${nonces}: n and n+1`).to.equal(1);
    expect(j1.jobId, "two jobs").to.not.equal(j2.jobId);
    // accept then submit, straight after each other (ethers caches the pending nonce for 250 ms).
    for (const { jobId } of [j1, j2]) {
      await provider.accept(jobId);
      await provider.submit(jobId, hashContent("result"));
      expect((await provider.getJob(jobId)).status).to.equal(Status.Submitted);
    }
    await provider.propose(j1.jobId, 10_000);
    await requester.acceptSettlement(j1.jobId, 10_000);
    await requester.release(j2.jobId);

    // A wallet without coin: the node's refusal is an EscrowError with a sentence.
    const broke = new EscrowClient(address, Wallet.createRandom().connect(rpc));
    const err = await broke.createJob(terms).then(
      () => expect.fail("a wallet without coin cannot create a job"),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(EscrowError);
    expect((err as EscrowError).message).to.match(
      /^InsufficientFunds: the account cannot pay for the gas and the value of this transaction/,
    );
    // A revert through a Wallet is decoded the same way as through a node account.
    const late = await provider.accept(j1.jobId).then(
      () => expect.fail("accepting a resolved job"),
      (e: unknown) => e,
    );
    expect(late).to.be.instanceOf(EscrowError);
    expect((late as EscrowError).message).to.equal(
      `WorkEscrowInvalidStatus: job ${j1.jobId} is Resolved, and this call is not allowed in that state`,
    );
  });
  it("bids, funding and arbitration calls share the Wallet's nonces too; their failures are EscrowErrors", async function () {
    expect(address, "deployed by the test above").to.match(/^0x/);
    const w = wallet(7);
    const escrow = IWorkEscrow__factory.connect(address, w);
    const sent = async () => rpc.getTransactionCount(w.address, "latest");
    const before = await sent();
    // bids: back to back, then two at once
    await cancelBids(escrow, 1n);
    await Promise.all([cancelBids(escrow, 1n), cancelBids(escrow, 2n)]);
    // funding: two creations straight after each other
    const now = BigInt((await rpc.getBlock("latest"))!.timestamp);
    const params = jobParams({
      amount: parseEther("0.1"),
      deadline: now + 86_400n,
      jobHash: hashContent("funding nonce test"),
      arbitrator: ACCOUNT.arbitrator,
    });
    const [a, b] = [await fundJob(escrow, w, params), await fundJob(escrow, w, params)];
    expect(b.jobId, "two jobs").to.equal(a.jobId + 1n);
    expect(await sent(), "five transactions mined, none refused").to.equal(before + 5);

    // Failures that are not reverts are EscrowErrors with a sentence, here as in EscrowClient.
    const broke = Wallet.createRandom().connect(rpc);
    const noCoin = /^InsufficientFunds: the account cannot pay for the gas/;
    const bidErr = await cancelBids(IWorkEscrow__factory.connect(address, broke), 1n).then(
      () => expect.fail("a wallet without coin cannot send"),
      (e: unknown) => e,
    );
    expect(bidErr, "cancelBids").to.be.instanceOf(EscrowError);
    expect((bidErr as EscrowError).message, "cancelBids").to.match(noCoin);
    const voteErr = await new CommitteeClient(ACCOUNT.treasury, broke).vote(1n, 5_000).then(
      () => expect.fail("a wallet without coin cannot send"),
      (e: unknown) => e,
    );
    expect(voteErr, "CommitteeClient.vote").to.be.instanceOf(ArbitrationError);
    expect(voteErr, "an ArbitrationError is an EscrowError").to.be.instanceOf(EscrowError);
    expect((voteErr as EscrowError).message, "CommitteeClient.vote").to.match(noCoin);
  });
});
