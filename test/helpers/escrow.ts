import { expect } from "chai";
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { ZeroAddress } from "ethers";
import type { AddressLike, BigNumberish, ContractTransactionResponse, Signer } from "ethers";
import type {
  IWorkEscrow,
  MockERC20,
  WorkEscrow,
  WorkEscrowForwarder,
} from "../../typechain-types/index.js";
import type { IWorkEscrowTypes } from "../../typechain-types/interfaces/IWorkEscrow.js";
import { DEFAULT_FEES, deployWorkEscrowSuite } from "../../scripts/lib/deploy.js";
import { NO_OPTIONS, createJobCall, splitJobParams } from "../../sdk/checks.js";

// The enums mirroring IWorkEscrow (OpenZeppelin habit) live in the SDK; the tests use the same ones,
// so a drift from the contract fails every test that reads a status.
import { BPS } from "../../sdk/types.js";
export {
  ARBITRATION_PERIOD,
  BPS,
  DEFAULT_ARBITRATION_PERIOD,
  MIN_WORK_TIME,
  Resolution,
  Status,
  Verdict,
} from "../../sdk/types.js";

export const HOUR = 3600n;
export const DAY = 24n * HOUR;
export const FEES = DEFAULT_FEES;
export const ONE_ETH = 10n ** 18n;
/** A non-zero result hash for `submitWork`. */
export const RESULT = "0x" + "ab".repeat(32);

export interface Conn {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
}

export interface EscrowFixture {
  escrow: IWorkEscrow;
  /**
   * The same address with the core contract's own ABI, for OpenZeppelin's errors and events that
   * IWorkEscrow does not declare (EnforcedPause, OwnableUnauthorizedAccount, OwnableInvalidOwner,
   * ReentrancyGuardReentrantCall, SafeERC20FailedOperation, Paused, OwnershipTransferred).
   */
  core: WorkEscrow;
  /** the OpenZeppelin ERC2771Forwarder the escrow trusts */
  forwarder: WorkEscrowForwarder;
  /** the WorkEscrowExtension's own address */
  extension: string;
  /** a plain 18-decimal ERC-20; requester and provider hold 10^30 and approved the escrow */
  token: MockERC20;
  admin: HardhatEthersSigner;
  treasury: HardhatEthersSigner;
  community: HardhatEthersSigner;
  /** the registered arbitrator (default arbitration period, 7 days) */
  arbitrator: HardhatEthersSigner;
  requester: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  approvers: HardhatEthersSigner[];
  stranger: HardhatEthersSigner;
  other: HardhatEthersSigner;
}

/**
 * A job's terms (`createJob`'s `JobParams`) and its optional terms (`JobOptions`) in one object, as the
 * tests write them; `createJobTx` sends them to `createJob` or `createJobWithOptions`, and `termsOf` /
 * `optionsOf` take them apart for a direct call. Never pass one to `escrow.createJob` itself: ethers
 * drops the option keys without a word.
 */
export type JobParams = IWorkEscrowTypes.JobParamsStruct & IWorkEscrowTypes.JobOptionsStruct;

export type ParamsInput = Partial<Omit<JobParams, "approvers">> & {
  approvers?: AddressLike[];
};

export interface CreatedJob {
  id: bigint;
  params: JobParams;
  tx: ContractTransactionResponse;
}

/** `createJob`'s argument: the terms of `p` without its optional terms. */
export function termsOf(p: JobParams): IWorkEscrowTypes.JobParamsStruct {
  return splitJobParams(p).terms;
}

/** The optional terms of `p` (`createJobWithOptions`' second argument). */
export function optionsOf(p: JobParams): IWorkEscrowTypes.JobOptionsStruct {
  return splitJobParams(p).options;
}

/**
 * Creates a job from full parameters by the call the SDK makes: `createJob(terms)` when no optional term
 * is set, else `createJobWithOptions(terms, options)`. `value` defaults to what a native job needs
 * (amount + keeperTip; 0 for an ERC-20).
 */
export async function createJobTx(
  escrow: IWorkEscrow,
  from: Signer,
  p: JobParams,
  value: BigNumberish = p.token === ZeroAddress ? BigInt(p.amount) + BigInt(p.keeperTip) : 0n,
): Promise<ContractTransactionResponse> {
  const call = createJobCall(p);
  const connected = escrow.connect(from);
  return call.method === "createJob"
    ? connected.createJob(...call.args, { value })
    : connected.createJobWithOptions(...call.args, { value });
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
    // The provider holds tokens too: ERC-20 bonds and dispute deposits are pulled from it.
    for (const holder of [requester, provider]) {
      await token.mint(holder.address, 10n ** 30n);
      await token.connect(holder).approve(await escrow.getAddress(), ethers.MaxUint256);
    }
    return {
      escrow,
      core: await ethers.getContractAt("WorkEscrow", await escrow.getAddress()),
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

  async function params(f: EscrowFixture, overrides: ParamsInput = {}): Promise<JobParams> {
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
      ...NO_OPTIONS,
      ...overrides,
    };
  }

  /** Creates and funds a job with `createJobTx` (native: msg.value = amount + keeperTip; ERC-20: pulled). */
  async function createJob(
    f: EscrowFixture,
    overrides: ParamsInput = {},
    from: HardhatEthersSigner = f.requester,
  ): Promise<CreatedJob> {
    const p = await params(f, overrides);
    const tx = await createJobTx(f.escrow, from, p);
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
    await f.escrow.connect(f.provider).submitWork(f.job.id, RESULT);
    return f;
  }

  /** A submitted job disputed by the requester, who posted the deposit. */
  async function disputedJob() {
    const f = await submittedJob();
    await raiseDispute(f.escrow, f.requester, f.job.id, "incomplete output");
    return f;
  }

  /** A submitted job disputed by the provider, who posted the deposit. */
  async function providerDisputedJob() {
    const f = await submittedJob();
    await raiseDispute(f.escrow, f.provider, f.job.id, "requester silent");
    return f;
  }

  async function multipartyJob() {
    const f = await deployEscrow();
    const job = await createJob(f, { approvers: f.approvers.map((a) => a.address), threshold: 2 });
    await f.escrow.connect(f.provider).acceptJob(job.id);
    await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
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
    providerDisputedJob,
    multipartyJob,
  };
}

/** The dispute deposit a job asks for now: the arbitration fee on its remaining amount. */
export async function depositOf(escrow: IWorkEscrow, jobId: bigint): Promise<bigint> {
  const job = await escrow.getJob(jobId);
  return (job.amount * job.arbitrationFeeBps) / BPS;
}

/**
 * `raiseDispute` by `who` with the deposit the job asks for: as msg.value for the native coin; an ERC-20
 * job pulls it (the caller must have approved the escrow).
 */
export async function raiseDispute(
  escrow: IWorkEscrow,
  who: Signer,
  jobId: bigint,
  reason = "dispute",
): Promise<ContractTransactionResponse> {
  const job = await escrow.getJob(jobId);
  const value = job.token === ZeroAddress ? await depositOf(escrow, jobId) : 0n;
  return escrow.connect(who).raiseDispute(jobId, reason, { value });
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

/** Balance of `token` (ZeroAddress = native coin) held by `who`. */
export async function balanceOf(
  ethers: HardhatEthers,
  token: string,
  who: AddressLike,
): Promise<bigint> {
  const address = await ethers.resolveAddress(who);
  if (token === ethers.ZeroAddress) return ethers.provider.getBalance(address);
  return (await ethers.getContractAt("MockERC20", token)).balanceOf(address);
}

/**
 * Asserts how `tx` changed the balances of `accounts` in `token` (native: gas paid by the sender is
 * accounted for by the matcher), with the chai matchers of Hardhat 3.
 */
export async function expectBalanceChanges(
  ethers: HardhatEthers,
  tx: Promise<ContractTransactionResponse> | ContractTransactionResponse,
  token: string,
  accounts: AddressLike[],
  deltas: bigint[],
): Promise<void> {
  const resolved = await Promise.all(accounts.map((a) => ethers.resolveAddress(a)));
  if (token === ethers.ZeroAddress) {
    await expect(tx).to.changeEtherBalances(ethers, resolved, deltas);
  } else {
    const erc20 = await ethers.getContractAt("MockERC20", token);
    await expect(tx).to.changeTokenBalances(ethers, erc20, resolved, deltas);
  }
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
    const at = `at t${offset < 0n ? "" : "+"}${offset}`;
    if (c.allowed[i]) await expect(tx, `allowed ${at}`).to.emit(f.escrow, c.event);
    else
      await expect(tx, `refused ${at}`)
        .to.be.revertedWithCustomError(f.escrow, c.error)
        .withArgs(f.job.id, t);
  }
}
