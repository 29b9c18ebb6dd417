/**
 * The viem entry (`work-escrow/viem`) against a real `hardhat node` on 127.0.0.1 (a free port), as
 * a viem dapp uses it: public and wallet clients over HTTP, reads (getJob, getBounds, nextActions,
 * withdrawable), writes (createJob, acceptJob, submitWork, release) and decoded reverts — a check
 * the SDK makes before sending, and a revert from the node — with the same sentences as the
 * ethers client. The entry's built files import no ethers: `check pack` scans them.
 */
import { expect } from "chai";
import hre from "hardhat";
import { createPublicClient, createWalletClient, http, parseEther, type Address } from "viem";
import { hardhat as hardhatChain } from "viem/chains";
import {
  EscrowError,
  Status,
  acceptJob,
  createJob,
  decodeEscrowError,
  getBounds,
  getJob,
  getNextActions,
  getWithdrawable,
  hashContent,
  iWorkEscrowAbi,
  release,
  submitWork,
} from "../../sdk/viem/index.js";
import { deployWorkEscrowSuite } from "../../scripts/lib/deploy.js";
import { freePort, startHardhatNode, type Server } from "../helpers/servers.js";
const [REQUESTER, , , ARBITRATOR, , PROVIDER] = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
] as const;

async function failure(p: Promise<unknown>): Promise<EscrowError> {
  try {
    await p;
  } catch (err) {
    expect(err, "every failure is an EscrowError").to.be.instanceOf(EscrowError);
    return err as EscrowError;
  }
  throw new Error("expected a failure");
}

describe("viem entry against hardhat node (work-escrow/viem)", function () {
  this.timeout(180_000);
  let node: Server | undefined;
  let url: string;
  let escrow: Address;

  before(async function () {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    node = await startHardhatNode(port);
    // Deployed with the project's own helper over the node; everything after is viem.
    const connection = await hre.network.create({
      network: "localhost",
      override: { url } as never,
    });
    const { escrow: deployed } = await deployWorkEscrowSuite(connection.ethers, {
      admin: REQUESTER,
      treasury: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      community: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
      arbitrator: ARBITRATOR,
    });
    escrow = (await deployed.getAddress()) as Address;
    await connection.close();
  });

  after(async function () {
    await node?.stop();
  });

  it("reads, writes and decodes reverts like the ethers client", async function () {
    const publicClient = createPublicClient({ chain: hardhatChain, transport: http(url) });
    // The node's unlocked accounts, as a JSON-RPC wallet (a browser wallet behaves the same).
    const requester = createWalletClient({
      chain: hardhatChain,
      transport: http(url),
      account: REQUESTER,
    });
    const provider = createWalletClient({
      chain: hardhatChain,
      transport: http(url),
      account: PROVIDER,
    });

    const bounds = await getBounds(publicClient, { escrow });
    expect(bounds.minWorkTime, "MIN_WORK_TIME read from the escrow").to.equal(600n);
    const now = (await publicClient.getBlock()).timestamp;

    // A check the SDK makes before sending: the contract's error, in the SDK's words, nothing sent.
    const nonce = await publicClient.getTransactionCount({ address: REQUESTER });
    const refused = await failure(
      createJob(requester, {
        escrow,
        publicClient,
        amount: parseEther("1"),
        deadline: now + 3600n,
        jobHash: hashContent("spec"),
        arbitrator: ARBITRATOR,
        provider: ARBITRATOR,
      }),
    );
    expect(refused.message).to.equal(
      `WorkEscrowInvalidProvider: provider ${ARBITRATOR} is the job's arbitrator: the provider cannot be the arbitrator`,
    );
    expect(refused.decoded.preflight).to.equal(true);
    expect(await publicClient.getTransactionCount({ address: REQUESTER }), "nothing sent").to.equal(
      nonce,
    );

    // A write, and reads of what it did.
    const created = await createJob(requester, {
      escrow,
      publicClient,
      amount: parseEther("1"),
      deadline: now + 86_400n,
      jobHash: hashContent("render 100 frames"),
      arbitrator: ARBITRATOR,
      provider: PROVIDER,
    });
    expect(created.receipt.status).to.equal("success");
    expect(created.events.map((e) => e.eventName)).to.include("JobCreated");
    const jobId = created.jobId;
    const job = await getJob(publicClient, { escrow, jobId });
    expect(job).to.deep.include({
      status: Status.Open,
      amount: parseEther("1"),
      requester: REQUESTER,
      provider: PROVIDER,
    });
    const next = await getNextActions(publicClient, { escrow, jobId, account: PROVIDER });
    expect(next.map((a) => a.call)).to.include("accept");

    // A revert from the node, decoded from viem's error: the requester cannot accept its own job.
    const reverted = await failure(acceptJob(requester, { escrow, publicClient, jobId }));
    expect(reverted.decoded.name).to.equal("WorkEscrowUnauthorized");
    expect(reverted.message).to.equal(
      `WorkEscrowUnauthorized: ${REQUESTER} may not do this on job ${jobId}`,
    );
    expect(decodeEscrowError(reverted)?.name).to.equal("WorkEscrowUnauthorized");
    // decodeEscrowError also reads a raw viem error.
    try {
      await publicClient.simulateContract({
        address: escrow,
        abi: iWorkEscrowAbi,
        functionName: "cancelJob",
        args: [jobId],
        account: PROVIDER,
      });
      expect.fail("cancel by the provider must revert");
    } catch (err) {
      expect(decodeEscrowError(err)?.message).to.equal(
        `WorkEscrowUnauthorized: ${PROVIDER} may not do this on job ${jobId}`,
      );
    }

    await acceptJob(provider, { escrow, publicClient, jobId });
    await submitWork(provider, { escrow, publicClient, jobId, resultHash: hashContent("frames") });
    const paid = await release(requester, { escrow, publicClient, jobId });
    const released = paid.events.find((e) => e.eventName === "JobReleased")!;
    expect(released.args.provider).to.equal(PROVIDER);
    expect((await getJob(publicClient, { escrow, jobId })).status).to.equal(Status.Released);
    expect(await getWithdrawable(publicClient, { escrow, account: PROVIDER })).to.equal(0n);
  });
});
