/**
 * Arbitration backends: the committee of trusted members (`CommitteeArbitrator`) and the ERC-792 court
 * adapter (`ERC792ArbitratorAdapter`), over ethers v6.
 *
 *   import { CommitteeClient, CourtClient, describeArbitration } from "work-escrow";
 *   await new CommitteeClient(committee, member).vote(jobId, 6000);
 *   await new CourtClient(adapter, requester).fund(jobId);       // pays what the court still needs
 *   for (const line of await describeArbitration(provider, escrow, jobId)) console.log(line);
 *
 * Reverts are thrown as `ArbitrationError` with the custom error in words (the committee's, the adapter's,
 * the court's or the escrow's, whichever reverted).
 */
import {
  Contract,
  Interface,
  type ContractRunner,
  type ContractTransactionResponse,
  type InterfaceAbi,
  type LogDescription,
  type Overrides,
  type Provider,
  type TransactionReceipt,
  formatEther,
  isHexString,
} from "ethers";
import { ICommitteeArbitrator__factory } from "../typechain-types/factories/interfaces/ICommitteeArbitrator__factory.js";
import { IERC792ArbitratorAdapter__factory } from "../typechain-types/factories/interfaces/IERC792ArbitratorAdapter__factory.js";
import { IArbitrator__factory } from "../typechain-types/factories/interfaces/erc792/IArbitrator__factory.js";
import { IWorkEscrow__factory } from "../typechain-types/factories/interfaces/IWorkEscrow__factory.js";
import type { ICommitteeArbitrator } from "../typechain-types/interfaces/ICommitteeArbitrator.js";
import type { IERC792ArbitratorAdapter } from "../typechain-types/interfaces/IERC792ArbitratorAdapter.js";
import { EscrowError, decodeRevertData, describeFailure, type DecodedError } from "./errors.js";
import { broadcast } from "./send.js";
import { NATIVE, Status } from "./types.js";
import { formatTime } from "./units.js";

/* ------------------------------------------------------------------------ what is behind an address */

/** What a job's arbitrator is: a committee, a court adapter, another contract, or a plain account. */
export type ArbitrationBackend = "committee" | "court" | "contract" | "account";

/** ERC-165 id of an interface: XOR of the selectors of the functions it declares itself. */
function interfaceId(abi: InterfaceAbi, exclude: string[] = []): string {
  let id = 0n;
  new Interface(abi).forEachFunction((f) => {
    if (!exclude.includes(f.name)) id ^= BigInt(f.selector);
  });
  return `0x${id.toString(16).padStart(8, "0")}`;
}

/** ERC-165 id of `ICommitteeArbitrator`. */
export const COMMITTEE_INTERFACE_ID = interfaceId(ICommitteeArbitrator__factory.abi);
/** ERC-165 id of `IERC792ArbitratorAdapter` (its own functions: `rule` belongs to IArbitrable). */
export const COURT_ADAPTER_INTERFACE_ID = interfaceId(IERC792ArbitratorAdapter__factory.abi, [
  "rule",
]);

/** ERC-792 ruling options of the adapter, and the `providerBps` each maps to. */
export const CourtRuling = { Refused: 0, Provider: 1, Requester: 2 } as const;
export const COURT_RULING_BPS: Record<number, number> = { 0: 5000, 1: 10000, 2: 0 };
const RULING_WORDS = [
  "refused to rule (half each)",
  "the provider (pay)",
  "the requester (refund)",
];
/** Mirrors ERC-792 `IArbitrator.DisputeStatus`. */
export enum CourtDisputeStatus {
  Waiting,
  Appealable,
  Solved,
}

/** Which backend `address` is, by ERC-165 (a contract that does not answer is "contract"). */
export async function arbitrationBackend(
  runner: ContractRunner,
  address: string,
): Promise<ArbitrationBackend> {
  const provider = providerOf(runner);
  if ((await provider.getCode(address)) === "0x") return "account";
  const probe = new Contract(
    address,
    ["function supportsInterface(bytes4) view returns (bool)"],
    provider,
  );
  try {
    if (await probe.supportsInterface(COMMITTEE_INTERFACE_ID)) return "committee";
    if (await probe.supportsInterface(COURT_ADAPTER_INTERFACE_ID)) return "court";
  } catch {
    /* no ERC-165 */
  }
  return "contract";
}

/* ------------------------------------------------------------------------------------------ errors */

const EXTRA = [
  "error ReentrancyGuardReentrantCall()",
  "error OwnableUnauthorizedAccount(address account)",
  "error OwnableInvalidOwner(address owner)",
  "error SafeERC20FailedOperation(address token)",
  "error FeeCollectorOnlySelf(address caller)",
  "error CheckpointUnorderedInsertion()",
  "error StringsInsufficientHexLength(uint256 value, uint256 length)",
];
const arbitrationErrors = new Interface([
  ...ICommitteeArbitrator__factory.abi.filter((f) => f.type === "error"),
  ...IERC792ArbitratorAdapter__factory.abi.filter((f) => f.type === "error"),
  ...EXTRA,
]);

const when = (v: unknown) => `${formatTime(BigInt(v as bigint))} (${v})`;
const statusWord = (v: unknown) => Status[Number(v)] ?? `status ${v}`;

/** One sentence per committee/adapter error, with the offending values. */
const SENTENCES: Record<string, (a: Record<string, any>) => string> = {
  CommitteeZeroAddress: () => "an address is zero",
  CommitteeInvalidMemberCount: (a) => `a committee needs 1 to ${a.maximum} members, not ${a.count}`,
  CommitteeInvalidMember: (a) => `member ${a.member} is zero or listed twice`,
  CommitteeInvalidQuorum: (a) =>
    `quorum ${a.quorum} must be between 1 and the ${a.members} members`,
  CommitteeNotJobArbitrator: (a) =>
    `job ${a.jobId} named arbitrator ${a.arbitrator}, not this committee`,
  CommitteeNotDisputed: (a) => `job ${a.jobId} is ${statusWord(a.status)}, not in dispute`,
  CommitteeVotingClosed: (a) =>
    `job ${a.jobId}'s arbitration period ended at ${when(a.endedAt)}: anyone may settle it as stale`,
  CommitteeNotMember: (a) =>
    `${a.account} is not a member of epoch ${a.epoch}, the committee that decides job ${a.jobId}`,
  CommitteeConflictOfInterest: (a) =>
    `${a.member} is the requester or provider of job ${a.jobId}, its verifier after a verdict, or an approver who approved, and cannot vote`,
  CommitteeAlreadyVoted: (a) => `${a.member} has already voted on job ${a.jobId}`,
  CommitteeInvalidBps: (a) => `${a.providerBps} bps is more than 10000 (100%)`,
  CommitteeNothingToWithdraw: (a) => `${a.member} has no fee share in token ${a.token}`,
  CommitteeNoFeeOwed: (a) => `job ${a.jobId} has no committee fee left to collect`,
  CommitteeTransferFailed: (a) => `sending ${a.amount} wei to ${a.to} failed`,
  CommitteeUnexpectedPayment: (a) =>
    `the committee only accepts the native coin from the escrow, not ${a.from}`,
  AdapterZeroAddress: () => "an address is zero",
  AdapterZeroValue: () => "send some native coin toward the court's arbitration cost",
  AdapterInvalidMinAppealTime: (a) =>
    `minAppealTime ${a.minAppealTime} s must be between 1 s and ${a.maximum} s`,
  AdapterAppealsClosed: (a) =>
    `appeals for job ${a.jobId} closed at ${when(a.closedAt)}: a new court round could not end before the arbitration period`,
  AdapterRulingNotFinal: (a) =>
    `the court's ruling of dispute ${a.disputeId} (job ${a.jobId}) can still change` +
    (Number(a.status) === 0
      ? ": the court has not ruled"
      : `: it can be appealed until ${when(a.appealsCloseAt)}`),
  AdapterNoFeeOwed: (a) => `job ${a.jobId} has no court fee left to collect`,
  AdapterNotJobArbitrator: (a) =>
    `job ${a.jobId} named arbitrator ${a.arbitrator}, not this court adapter`,
  AdapterNotDisputed: (a) => `job ${a.jobId} is ${statusWord(a.status)}, not in dispute`,
  AdapterArbitrationPeriodOver: (a) =>
    `job ${a.jobId}'s arbitration period ended at ${when(a.endedAt)}: no court ruling can apply any more`,
  AdapterUnauthorized: (a) =>
    `${a.caller} is neither the requester nor the provider of job ${a.jobId}`,
  AdapterAlreadyInCourt: (a) => `job ${a.jobId} is already in court (dispute ${a.disputeId})`,
  AdapterNotInCourt: (a) => `job ${a.jobId} has no court dispute yet: fund the court first`,
  AdapterNothingToWithdraw: (a) => `${a.account} has nothing to withdraw in token ${a.token}`,
  AdapterNotAppealable: (a) =>
    `court dispute ${a.disputeId} (job ${a.jobId}) cannot be appealed now` +
    (BigInt(a.end) === 0n ? "" : ` (appeal period ${when(a.start)} to ${when(a.end)})`),
  AdapterInsufficientPayment: (a) =>
    `sent ${formatEther(a.sent)} but the court asks ${formatEther(a.required)}`,
  AdapterOnlyCourt: (a) => `only the court may rule, not ${a.caller}`,
  AdapterUnknownDispute: (a) => `court dispute ${a.disputeId} is not one of this adapter's`,
  AdapterAlreadyRuled: (a) => `court dispute ${a.disputeId} was already ruled`,
  AdapterInvalidRuling: (a) =>
    `ruling ${a.ruling} is not an option (0 refused, 1 provider, 2 requester)`,
  AdapterTransferFailed: (a) => `sending ${a.amount} wei to ${a.to} failed`,
  AdapterUnexpectedPayment: (a) =>
    `the adapter only accepts the native coin from the escrow, not ${a.from}`,
  ReentrancyGuardReentrantCall: () => "reentrant call",
  FeeCollectorOnlySelf: (a) => `pullEscrowFee is an internal step; ${a.caller} may not call it`,
  OwnableUnauthorizedAccount: (a) => `${a.account} is not the committee's owner`,
  OwnableInvalidOwner: (a) => `${a.owner} cannot be the committee's owner`,
  SafeERC20FailedOperation: (a) => `the token ${a.token} refused the transfer`,
  CheckpointUnorderedInsertion: () =>
    "a new committee epoch cannot start before the last one (its start time went backwards)",
  StringsInsufficientHexLength: (a) =>
    `${a.value} does not fit in ${a.length} bytes of hex (the adapter's meta-evidence text)`,
};

/** Decodes revert data from a committee, adapter or (bubbled up) escrow call. */
export function decodeArbitrationRevert(data: string): DecodedError | undefined {
  if (!isHexString(data) || data.length < 10) return undefined;
  try {
    const parsed = arbitrationErrors.parseError(data);
    if (parsed) {
      const args: Record<string, unknown> = {};
      parsed.fragment.inputs.forEach(
        (input, i) => (args[input.name || String(i)] = parsed.args[i]),
      );
      const sentence = SENTENCES[parsed.name]?.(args) ?? parsed.name;
      return { name: parsed.name, args, message: `${parsed.name}: ${sentence}` };
    }
  } catch {
    /* not ours */
  }
  return decodeRevertData(data); // the escrow's errors (and Error(string), e.g. from a court)
}

function findRevertData(err: unknown, depth = 0): string | undefined {
  if (err === null || typeof err !== "object" || depth > 5) return undefined;
  const e = err as Record<string, unknown>;
  for (const key of ["data", "revertData"]) {
    const v = e[key];
    if (typeof v === "string" && isHexString(v) && v.length >= 10) return v;
  }
  for (const key of ["error", "info", "cause", "data"]) {
    const inner = findRevertData(e[key], depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * Thrown by CommitteeClient/CourtClient when a call fails (a revert of the backend or the escrow, a
 * nonce, funds or network problem): `message` is in words. An `EscrowError`, like every SDK failure.
 */
export class ArbitrationError extends EscrowError {
  constructor(decoded: DecodedError, cause: unknown) {
    super(decoded, cause);
    this.name = "ArbitrationError";
  }
}

/** The outcome of an arbitration call: the mined receipt and the backend's own events, decoded. */
export interface ArbitrationTx {
  receipt: TransactionReceipt;
  events: LogDescription[];
}

async function send(
  iface: Interface,
  address: string,
  runner: ContractRunner,
  call: (o: Overrides) => Promise<ContractTransactionResponse>,
): Promise<ArbitrationTx> {
  try {
    // One broadcast at a time per local Wallet, with its own nonce (./send.ts).
    const receipt = (await (await broadcast(runner, call)).wait())!;
    const events = receipt.logs
      .filter((l) => l.address.toLowerCase() === address.toLowerCase())
      .flatMap((l) => iface.parseLog(l) ?? []);
    return { receipt, events };
  } catch (err) {
    const data = findRevertData(err);
    const decoded = data ? decodeArbitrationRevert(data) : undefined;
    throw new ArbitrationError(decoded ?? describeFailure(err), err);
  }
}

function providerOf(runner: ContractRunner): Provider {
  const provider = (runner.provider ?? runner) as Provider;
  if (typeof provider.getCode !== "function") throw new Error("this runner has no provider");
  return provider;
}

/* --------------------------------------------------------------------------------------- committee */

/** One member of the epoch deciding a dispute, and its vote. */
export interface CommitteeMemberVote {
  member: string;
  voted: boolean;
  /** the provider's share it voted, basis points (valid when `voted`) */
  providerBps: number;
}

/** The committee's state for one job. */
export interface CommitteeStatus {
  /** the membership epoch deciding the dispute (0: the job was never disputed) */
  epoch: number;
  quorum: number;
  votes: number;
  executed: boolean;
  /** the executed median, basis points (valid when `executed`) */
  ruling: number;
  /** the executed ruling's fee still to be collected (`collectFee`), in the job's token; 0 if none */
  feeOwed: bigint;
  members: CommitteeMemberVote[];
}

/** A committee arbitrator, as a member, the owner or a reader. */
export class CommitteeClient {
  readonly contract: ICommitteeArbitrator;

  constructor(
    readonly address: string,
    readonly runner: ContractRunner,
  ) {
    this.contract = ICommitteeArbitrator__factory.connect(address, runner);
  }

  connect(runner: ContractRunner): CommitteeClient {
    return new CommitteeClient(this.address, runner);
  }

  /** Votes the provider's share (0..10,000 bps); the vote that reaches the quorum executes the median. */
  vote(jobId: bigint, providerBps: number): Promise<ArbitrationTx> {
    return this.#send((o) => this.contract.vote(jobId, providerBps, o));
  }

  /** Withdraws the signer's fee shares in `token` (to `to`, or to the signer). */
  withdraw(token: string = NATIVE, to?: string): Promise<ArbitrationTx> {
    return this.#send((o) =>
      to === undefined ? this.contract.withdraw(token, o) : this.contract.withdrawTo(token, to, o),
    );
  }

  /** Anyone: collects a fee the executing vote could not withdraw (`FeeOwed`) and credits the voters. */
  collectFee(jobId: bigint): Promise<ArbitrationTx> {
    return this.#send((o) => this.contract.collectFee(jobId, o));
  }

  /** Owner: a new member set and quorum for disputes raised from the next second on. */
  setMembers(members: string[], quorum: number): Promise<ArbitrationTx> {
    return this.#send((o) => this.contract.setMembers(members, quorum, o));
  }

  withdrawable(token: string, member: string): Promise<bigint> {
    return this.contract.withdrawable(token, member);
  }

  /** The epoch deciding job `jobId`, its members with their votes, the quorum and the outcome. */
  async status(jobId: bigint): Promise<CommitteeStatus> {
    const [t, feeOwed] = await Promise.all([
      this.contract.tally(jobId),
      this.contract.feeOwed(jobId),
    ]);
    const epoch = Number(t.epoch);
    const members = epoch === 0 ? [] : [...(await this.contract.membership(epoch)).members];
    const votes = await Promise.all(members.map((m) => this.contract.voteOf(jobId, m)));
    return {
      epoch,
      quorum: Number(t.quorum),
      votes: Number(t.votes),
      executed: t.executed,
      ruling: Number(t.ruling),
      feeOwed,
      members: members.map((member, i) => ({
        member,
        voted: votes[i].voted,
        providerBps: Number(votes[i].providerBps),
      })),
    };
  }

  #send(call: (o: Overrides) => Promise<ContractTransactionResponse>) {
    return send(this.contract.interface as unknown as Interface, this.address, this.runner, call);
  }
}

/* ------------------------------------------------------------------------------------------- court */

/** The court adapter's state for one job, with the court's live view of the dispute. */
export interface CourtStatus {
  /** what the court asks now to create a dispute, wei */
  arbitrationCost: bigint;
  paidByRequester: bigint;
  paidByProvider: bigint;
  created: boolean;
  disputeId?: bigint;
  /** the court's status of the dispute (when created) */
  courtStatus?: CourtDisputeStatus;
  /** the court's current ruling (when created): 0 refused, 1 provider, 2 requester */
  currentRuling?: number;
  /** the appeal period, unix seconds (when the ruling is appealable) */
  appealPeriod?: { start: bigint; end: bigint };
  /** what an appeal costs now, wei (when the ruling is appealable) */
  appealCost?: bigint;
  appeals: number;
  /** whether the court's `rule` call arrived */
  ruled: boolean;
  /** whether a ruling was applied to the job (by `rule`, or from the court's current ruling) */
  applied: boolean;
  /** the ruling applied, or the court's final ruling if none was */
  ruling: number;
  /** the applied ruling's fee still to be collected (`collectFee`), in the job's token; 0 if none */
  feeOwed: bigint;
  /** the last second at which the adapter accepts an appeal (`appealsCloseAt`; 0 if never disputed) */
  appealsCloseAt: bigint;
}

/** An ERC-792 court adapter, as a party, an appellant or a reader. */
export class CourtClient {
  readonly contract: IERC792ArbitratorAdapter;

  constructor(
    readonly address: string,
    readonly runner: ContractRunner,
  ) {
    this.contract = IERC792ArbitratorAdapter__factory.connect(address, runner);
  }

  connect(runner: ContractRunner): CourtClient {
    return new CourtClient(this.address, runner);
  }

  /**
   * Requester or provider pays toward the court's arbitration cost: `value` wei, by default exactly
   * what is still missing. The payment that completes the cost creates the court dispute.
   */
  async fund(jobId: bigint, value?: bigint): Promise<ArbitrationTx> {
    const amount = value ?? (await this.missing(jobId));
    return this.#send((o) => this.contract.fundCourt(jobId, { ...o, value: amount }));
  }

  /** What the court dispute of `jobId` still needs to be created, wei. */
  async missing(jobId: bigint): Promise<bigint> {
    const [c, cost] = await Promise.all([this.contract.caseOf(jobId), this.arbitrationCost()]);
    const paid = c.paidByRequester + c.paidByProvider;
    return cost > paid ? cost - paid : 0n;
  }

  /** Before the court dispute exists, takes the signer's contribution back. */
  withdrawContribution(jobId: bigint): Promise<ArbitrationTx> {
    return this.#send((o) => this.contract.withdrawContribution(jobId, o));
  }

  /** Relays evidence at `uri` (ERC-1497 `Evidence`, group = job id). */
  evidence(jobId: bigint, uri: string): Promise<ArbitrationTx> {
    return this.#send((o) => this.contract.submitEvidence(jobId, uri, o));
  }

  /** Anyone appeals the current ruling, paying `value` (default: the court's appeal cost now). */
  async appeal(jobId: bigint, value?: bigint): Promise<ArbitrationTx> {
    const amount = value ?? (await this.appealCost(jobId));
    return this.#send((o) => this.contract.appeal(jobId, { ...o, value: amount }));
  }

  /**
   * Anyone applies the court's current ruling before the court calls `rule`, once it can no longer change
   * through the adapter (court status Solved, or Appealable after the appeal cutoff).
   */
  applyCurrentRuling(jobId: bigint): Promise<ArbitrationTx> {
    return this.#send((o) => this.contract.applyCurrentRuling(jobId, o));
  }

  /** Anyone: collects a fee the ruling's transaction could not withdraw (`FeeOwed`) and credits the funders. */
  collectFee(jobId: bigint): Promise<ArbitrationTx> {
    return this.#send((o) => this.contract.collectFee(jobId, o));
  }

  /** Withdraws the signer's fee reimbursement (or returned surplus) in `token`. */
  withdraw(token: string = NATIVE, to?: string): Promise<ArbitrationTx> {
    return this.#send((o) =>
      to === undefined ? this.contract.withdraw(token, o) : this.contract.withdrawTo(token, to, o),
    );
  }

  withdrawable(token: string, account: string): Promise<bigint> {
    return this.contract.withdrawable(token, account);
  }

  async arbitrationCost(): Promise<bigint> {
    const [court, extra] = await Promise.all([
      this.contract.court(),
      this.contract.arbitratorExtraData(),
    ]);
    return IArbitrator__factory.connect(court, this.runner).arbitrationCost(extra);
  }

  async appealCost(jobId: bigint): Promise<bigint> {
    const [c, court, extra] = await Promise.all([
      this.contract.caseOf(jobId),
      this.contract.court(),
      this.contract.arbitratorExtraData(),
    ]);
    if (!c.created) throw new Error(`job ${jobId} has no court dispute`);
    return IArbitrator__factory.connect(court, this.runner).appealCost(c.disputeId, extra);
  }

  /** The case and, once created, the court's status, current ruling and appeal terms. */
  async status(jobId: bigint): Promise<CourtStatus> {
    const [c, cost, appealsCloseAt] = await Promise.all([
      this.contract.caseOf(jobId),
      this.arbitrationCost(),
      this.contract.appealsCloseAt(jobId),
    ]);
    const out: CourtStatus = {
      arbitrationCost: cost,
      paidByRequester: c.paidByRequester,
      paidByProvider: c.paidByProvider,
      created: c.created,
      appeals: Number(c.appeals),
      ruled: c.ruled,
      applied: c.applied,
      ruling: Number(c.ruling),
      feeOwed: c.feeOwed,
      appealsCloseAt,
    };
    if (!c.created) return out;
    const court = IArbitrator__factory.connect(await this.contract.court(), this.runner);
    const [courtStatus, currentRuling, period] = await Promise.all([
      court.disputeStatus(c.disputeId),
      court.currentRuling(c.disputeId),
      court.appealPeriod(c.disputeId),
    ]);
    out.disputeId = c.disputeId;
    out.courtStatus = Number(courtStatus) as CourtDisputeStatus;
    out.currentRuling = Number(currentRuling);
    if (out.courtStatus === CourtDisputeStatus.Appealable) {
      out.appealPeriod = { start: period.start, end: period.end };
      out.appealCost = await court.appealCost(
        c.disputeId,
        await this.contract.arbitratorExtraData(),
      );
    }
    return out;
  }

  #send(call: (o: Overrides) => Promise<ContractTransactionResponse>) {
    return send(this.contract.interface as unknown as Interface, this.address, this.runner, call);
  }
}

/* --------------------------------------------------------------------------------- escrow:show text */

const pct = (bps: number | bigint) => `${(Number(bps) / 100).toFixed(2)}%`;

/**
 * Lines that describe how job `jobId`'s arbitrator is handling it, for `escrow:show` and dapps: for a
 * committee, the deciding epoch, quorum and every member's vote; for a court adapter, the court cost and
 * who paid it, the court dispute, its current ruling and appeal terms. An account arbitrator gets one line.
 * Reads only; `runner` may be a plain provider.
 */
export async function describeArbitration(
  runner: ContractRunner,
  escrow: string,
  jobId: bigint,
): Promise<string[]> {
  const job = await IWorkEscrow__factory.connect(escrow, runner).getJob(jobId);
  const backend = await arbitrationBackend(runner, job.arbitrator);
  const disputed = Number(job.status) === Status.Disputed;
  const end = job.disputedAt + job.arbitrationPeriod;
  const deadline = disputed ? ` before ${formatTime(end)}` : "";
  const lines: string[] = [];

  if (backend === "committee") {
    const s = await new CommitteeClient(job.arbitrator, runner).status(jobId);
    lines.push(
      `arbitrator: committee ${job.arbitrator}` +
        (s.epoch === 0 ? "" : ` — epoch ${s.epoch}, quorum ${s.quorum} of ${s.members.length}`),
    );
    if (s.epoch === 0) return lines;
    for (const m of s.members)
      lines.push(`  ${m.member}  ${m.voted ? `voted ${pct(m.providerBps)} to the provider` : "—"}`);
    if (s.executed) {
      lines.push(`ruled: ${pct(s.ruling)} to the provider (median of ${s.votes} votes)`);
      if (s.feeOwed > 0n)
        lines.push(
          `fee ${s.feeOwed} (job's token units) not yet collected: anyone may collect it (escrow:arbitration-collect-fee)`,
        );
    } else if (disputed)
      lines.push(`votes: ${s.votes} of ${s.quorum}; ${s.quorum - s.votes} more needed${deadline}`);
    else
      lines.push(`votes: ${s.votes} of ${s.quorum}; the dispute ended without a committee ruling`);
    return lines;
  }

  if (backend === "court") {
    const client = new CourtClient(job.arbitrator, runner);
    const [s, court] = await Promise.all([client.status(jobId), client.contract.court()]);
    lines.push(`arbitrator: ERC-792 court adapter ${job.arbitrator} (court ${court})`);
    const paid = s.paidByRequester + s.paidByProvider;
    if (!s.created) {
      if (disputed)
        lines.push(
          `court cost: ${formatEther(paid)} of ${formatEther(s.arbitrationCost)} paid` +
            ` (requester ${formatEther(s.paidByRequester)}, provider ${formatEther(s.paidByProvider)})${deadline}`,
        );
      return lines;
    }
    lines.push(
      `court dispute #${s.disputeId}: ${CourtDisputeStatus[s.courtStatus!]}, cost ${formatEther(paid)} paid` +
        ` (requester ${formatEther(s.paidByRequester)}, provider ${formatEther(s.paidByProvider)})` +
        (s.appeals > 0 ? `, ${s.appeals} appeal(s)` : ""),
    );
    const now = BigInt((await providerOf(runner).getBlock("latest"))!.timestamp);
    const appealsOpen = now <= s.appealsCloseAt;
    if (s.applied) {
      lines.push(
        `${s.ruled ? "final ruling" : "current ruling"} ${s.ruling}: ${RULING_WORDS[s.ruling]} → ` +
          `${pct(COURT_RULING_BPS[s.ruling])} to the provider` +
          (s.ruled ? "" : " — applied before the court's final call"),
      );
    } else if (s.ruled) {
      lines.push(
        `final ruling ${s.ruling}: ${RULING_WORDS[s.ruling]} → ${pct(COURT_RULING_BPS[s.ruling])} to the provider` +
          " — arrived too late, not applied",
      );
    } else if (s.courtStatus === CourtDisputeStatus.Appealable) {
      lines.push(
        `current ruling ${s.currentRuling}: ${RULING_WORDS[s.currentRuling!]}; ` +
          (appealsOpen
            ? `anyone may appeal until ${formatTime(
                // the court's end is exclusive, appealsCloseAt inclusive: the last second is the smaller
                s.appealPeriod!.end - 1n <= s.appealsCloseAt
                  ? s.appealPeriod!.end - 1n
                  : s.appealsCloseAt,
              )} for ${formatEther(s.appealCost!)}`
            : `appeals closed at ${formatTime(s.appealsCloseAt)}: anyone may apply it now (escrow:court-apply-ruling)`),
      );
    } else if (s.courtStatus === CourtDisputeStatus.Solved && disputed) {
      lines.push(
        `current ruling ${s.currentRuling}: ${RULING_WORDS[s.currentRuling!]}; final: anyone may apply it now (escrow:court-apply-ruling)`,
      );
    }
    if (s.feeOwed > 0n)
      lines.push(
        `fee ${s.feeOwed} (job's token units) not yet collected: anyone may collect it (escrow:arbitration-collect-fee)`,
      );
    if (disputed && !s.applied) lines.push(`the ruling applies only if it arrives${deadline}`);
    return lines;
  }

  lines.push(`arbitrator: ${backend === "account" ? "account" : "contract"} ${job.arbitrator}`);
  return lines;
}
