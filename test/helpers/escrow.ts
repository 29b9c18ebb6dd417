import { expect } from "chai";
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { AddressLike, BigNumberish, ContractTransactionResponse } from "ethers";
import type { IWorkEscrow, MockERC20, WorkEscrowForwarder } from "../../typechain-types/index.js";
import type { IWorkEscrowTypes } from "../../typechain-types/interfaces/IWorkEscrow.js";
import { DEFAULT_FEES, deployWorkEscrowSuite } from "../../scripts/lib/deploy.js";

// The enums mirroring IWorkEscrow (OpenZeppelin habit) live in the SDK; the tests use the same ones,
// so a drift from the contract fails every test that reads a status.
import { BPS } from "../../sdk/types.js";
export { ARBITRATION_PERIOD, BPS, Resolution, Status, Verdict } from "../../sdk/types.js";

export const HOUR = 3600n;
export const DAY = 24n * HOUR;
export const FEES = DEFAULT_FEES;
export const ONE_ETH = 10n ** 18n;

export interface Conn {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
}

export interface EscrowFixture {
  escrow: IWorkEscrow;
  /** the OpenZeppelin ERC2771Forwarder the escrow trusts */
  forwarder: WorkEscrowForwarder;
  /** the WorkEscrowExtension's own address */
  extension: string;
  token: MockERC20;
  admin: HardhatEthersSigner;
  treasury: HardhatEthersSigner;
  community: HardhatEthersSigner;
  arbitrator: HardhatEthersSigner;
  requester: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  approvers: HardhatEthersSigner[];
  stranger: HardhatEthersSigner;
  other: HardhatEthersSigner;
}

export type JobParams = IWorkEscrowTypes.JobParamsStruct;

export type ParamsInput = Partial<Omit<JobParams, "approvers">> & {
  approvers?: AddressLike[];
};

export interface CreatedJob {
  id: bigint;
  params: JobParams;
  tx: ContractTransactionResponse;
}

/** Expected split, computed the way the spec states it (independently of SplitMath.sol). */
export function expectedSplit(
  amount: bigint,
  providerBps: bigint,
  arbitrationBps: bigint,
  platformBps = FEES.platform,
  communityBps = FEES.community,
) {
  const arbitrationFee = (amount * arbitrationBps) / BPS;
  const rest = amount - arbitrationFee;
  const gross = (rest * providerBps) / BPS;
  const platformFee = (gross * platformBps) / BPS;
  const communityFee = (gross * communityBps) / BPS;
  return {
    provider: gross - platformFee - communityFee,
    requester: rest - gross,
    platformFee,
    communityFee,
    arbitrationFee,
  };
}

/**
 * Fixture functions bound to one connection. `loadFixture` caches on function identity, so call this
 * once per test file and reuse the returned functions.
 */
export function escrowFixtures({ ethers, networkHelpers }: Conn) {
  async function deployEscrow(): Promise<EscrowFixture> {
    const [
      admin,
      treasury,
      community,
      arbitrator,
      requester,
      provider,
      a1,
      a2,
      a3,
      stranger,
      other,
    ] = await ethers.getSigners();
    const { escrow, forwarder, extension } = await deployWorkEscrowSuite(ethers, {
      admin: admin.address,
      treasury: treasury.address,
      community: community.address,
      arbitrator: arbitrator.address,
    });
    const token = await ethers.deployContract("MockERC20", ["Mock Dollar", "MUSD", 18]);
    await token.mint(requester.address, 10n ** 30n);
    await token.connect(requester).approve(await escrow.getAddress(), ethers.MaxUint256);
    return {
      escrow,
      forwarder,
      extension,
      token,
      admin,
      treasury,
      community,
      arbitrator,
      requester,
      provider,
      approvers: [a1, a2, a3],
      stranger,
      other,
    };
  }

  async function params(
    f: EscrowFixture,
    overrides: ParamsInput = {},
  ): Promise<JobParams> {
    const now = BigInt(await networkHelpers.time.latest());
    return {
      provider: f.provider.address,
      token: ethers.ZeroAddress,
      amount: ONE_ETH,
      deadline: now + DAY,
      reviewPeriod: 2n * DAY,
      jobType: 0,
      jobHash: ethers.id("job spec"),
      arbitrator: f.arbitrator.address,
      approvers: [],
      threshold: 0,
      providerBond: 0n,
      keeperTip: 0n,
      verifier: ethers.ZeroAddress,
      verifierFeeBps: 0,
      bidsOnly: false,
      agentRequired: false,
      agentId: 0n,
      ...overrides,
    };
  }

  async function createJob(
    f: EscrowFixture,
    overrides: ParamsInput = {},
    from: HardhatEthersSigner = f.requester,
  ): Promise<CreatedJob> {
    const p = await params(f, overrides);
    const value: BigNumberish =
      p.token === ethers.ZeroAddress ? BigInt(p.amount) + BigInt(p.keeperTip) : 0n;
    const tx = await f.escrow.connect(from).createJob(p, { value });
    return { id: await f.escrow.jobCount(), params: p, tx };
  }

  async function openJob() {
    const f = await deployEscrow();
    return { ...f, job: await createJob(f) };
  }

  async function acceptedJob() {
    const f = await openJob();
    await f.escrow.connect(f.provider).acceptJob(f.job.id);
    return f;
  }

  async function submittedJob() {
    const f = await acceptedJob();
    await f.escrow.connect(f.provider).submitWork(f.job.id, ethers.id("result"));
    return f;
  }

  async function disputedJob() {
    const f = await submittedJob();
    await f.escrow
      .connect(f.requester)
      .raiseDispute(f.job.id, "incomplete output", { value: await depositOf(f.escrow, f.job.id) });
    return f;
  }

  async function multipartyJob() {
    const f = await deployEscrow();
    const job = await createJob(f, { approvers: f.approvers.map((a) => a.address), threshold: 2 });
    await f.escrow.connect(f.provider).acceptJob(job.id);
    await f.escrow.connect(f.provider).submitWork(job.id, ethers.id("result"));
    return { ...f, job };
  }

  return {
    deployEscrow,
    params,
    createJob,
    openJob,
    acceptedJob,
    submittedJob,
    disputedJob,
    multipartyJob,
  };
}

/** The dispute deposit a job asks for now: the arbitration fee on its remaining amount. */
export async function depositOf(escrow: IWorkEscrow, jobId: bigint): Promise<bigint> {
  const job = await escrow.getJob(jobId);
  return (job.amount * job.arbitrationFeeBps) / BPS;
}

/** The block timestamp at which `tx` was mined. */
export async function minedAt(
  ethers: HardhatEthers,
  tx: ContractTransactionResponse,
): Promise<bigint> {
  const receipt = await tx.wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return BigInt(block!.timestamp);
}

/**
 * Checks a call at exactly t-1, t and t+1 of a window edge `t`, each from a fresh fixture: where
 * `allowed` says so it must emit `event`, elsewhere revert with `error(jobId, t)`.
 */
export async function expectAtEdges<F extends { escrow: IWorkEscrow; job: { id: bigint } }>(
  networkHelpers: NetworkHelpers,
  fixture: () => Promise<F>,
  c: {
    edge: (f: F) => Promise<bigint>;
    act: (f: F) => Promise<ContractTransactionResponse>;
    allowed: readonly [atMinus1: boolean, atEdge: boolean, atPlus1: boolean];
    event: string;
    error: string;
  },
): Promise<void> {
  for (const [i, offset] of [-1n, 0n, 1n].entries()) {
    const f = await networkHelpers.loadFixture(fixture);
    const t = await c.edge(f);
    await networkHelpers.time.setNextBlockTimestamp(t + offset);
    const tx = c.act(f);
    if (c.allowed[i])
      await expect(tx, `allowed at t${offset < 0n ? "" : "+"}${offset}`).to.emit(f.escrow, c.event);
    else await expect(tx).to.be.revertedWithCustomError(f.escrow, c.error).withArgs(f.job.id, t);
  }
}
