import {
  Contract,
  type ContractRunner,
  type ContractTransactionResponse,
  type Log,
  type LogDescription,
  type Provider,
  type TransactionReceipt,
  toBeHex,
  zeroPadValue,
} from "ethers";
import type { WorkEscrow } from "../typechain-types/WorkEscrow.js";
import { WorkEscrow__factory } from "../typechain-types/factories/WorkEscrow__factory.js";
import { EscrowError, decodeEscrowError } from "./errors.js";
import { getLogsInChunks, type LogRange } from "./logs.js";
import { nextActions, type NextAction } from "./next.js";
import { NATIVE, type CreateJobInput, type JobView, type Role, type Status } from "./types.js";

const ERC20_ABI = [
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
];

/** The outcome of a state-changing call: the job it concerns and the mined receipt. */
export interface TxResult {
  jobId: bigint;
  receipt: TransactionReceipt;
  /** the escrow events the transaction emitted, decoded */
  events: LogDescription[];
}

/** A job an address takes part in, as rebuilt from events. */
export interface JobMembership {
  jobId: bigint;
  roles: Role[];
  createdAtBlock: number;
}

/** A decoded escrow event, as delivered to `watch` listeners. */
export interface JobEvent {
  name: string;
  jobId?: bigint;
  args: Record<string, unknown>;
  log: Log;
}

/**
 * A typed client for one WorkEscrow deployment over ethers v6: every call returns the job id, the
 * receipt and the decoded events; reverts are thrown as `EscrowError` with the custom error in words.
 * Works with any ethers `ContractRunner` (a browser wallet's signer, a Wallet, a Hardhat signer).
 */
export class EscrowClient {
  readonly contract: WorkEscrow;

  constructor(
    readonly address: string,
    readonly runner: ContractRunner,
  ) {
    this.contract = WorkEscrow__factory.connect(address, runner);
  }

  /** The same client acting as another signer. */
  connect(runner: ContractRunner): EscrowClient {
    return new EscrowClient(this.address, runner);
  }

  get provider(): Provider {
    const provider = this.runner.provider ?? (this.runner as unknown as Provider);
    if (!provider || typeof (provider as Provider).getBlock !== "function") {
      throw new Error("EscrowClient needs a runner with a provider");
    }
    return provider as Provider;
  }

  /** The signer's address (throws for a read-only runner). */
  async account(): Promise<string> {
    const r = this.runner as { getAddress?: () => Promise<string> };
    if (typeof r.getAddress !== "function") throw new Error("this client has no signer");
    return r.getAddress();
  }

  /* ----------------------------------------------------------------- requester */

  /**
   * Creates and funds a job. For an ERC-20, approves the escrow for `amount` first when the
   * allowance is short (pass `approve: false` to manage allowances yourself).
   */
  async createJob(input: CreateJobInput, options: { approve?: boolean } = {}): Promise<TxResult> {
    const token = input.token ?? NATIVE;
    if (token !== NATIVE && options.approve !== false) {
      const erc20 = new Contract(token, ERC20_ABI, this.runner);
      const owner = await this.account();
      const allowance: bigint = await erc20.allowance(owner, this.address);
      if (allowance < input.amount) {
        await this.#send(
          () => erc20.approve(this.address, input.amount) as Promise<ContractTransactionResponse>,
        );
      }
    }
    const approvers = input.approvers ?? [];
    const params = {
      provider: input.provider ?? NATIVE,
      token,
      amount: input.amount,
      deadline: input.deadline,
      reviewPeriod: input.reviewPeriod ?? 3n * 86_400n,
      jobType: input.jobType ?? 0,
      jobHash: input.jobHash,
      arbitrator: input.arbitrator,
      approvers,
      threshold: input.threshold ?? (approvers.length > 0 ? approvers.length : 0),
    };
    const value = token === NATIVE ? input.amount : 0n;
    const result = await this.#send(() => this.contract.createJob(params, { value }));
    const created = result.events.find((e) => e.name === "JobCreated");
    if (!created) throw new Error("createJob: no JobCreated event in the receipt");
    return { ...result, jobId: created.args.jobId as bigint };
  }

  /** Open → Cancelled: the requester takes the payment back before anyone accepted. */
  cancel(jobId: bigint): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.cancelJob(jobId));
  }

  /** Pays the provider: the requester at any time after acceptance; anyone after the review window. */
  release(jobId: bigint): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.release(jobId));
  }

  /* ------------------------------------------------------------------ provider */

  accept(jobId: bigint): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.acceptJob(jobId));
  }

  /** Submits the hash of the result (see `hashContent`). */
  submit(jobId: bigint, resultHash: string): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.submitWork(jobId, resultHash));
  }

  /* ------------------------------------------------------------------ approver */

  approve(jobId: bigint): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.approveWork(jobId));
  }

  /* ------------------------------------------------------------------- anyone */

  /** Open/Accepted past the deadline → Refunded. */
  refund(jobId: bigint): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.refundExpired(jobId));
  }

  /** Disputed past the arbitration period → Resolved 50/50. */
  settleStale(jobId: bigint): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.settleStaleDispute(jobId));
  }

  /* ------------------------------------------------------------------ disputes */

  dispute(jobId: bigint, reason: string): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.raiseDispute(jobId, reason));
  }

  evidence(jobId: bigint, uri: string): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.submitEvidence(jobId, uri));
  }

  /** Offers a split: the provider's share in basis points (0..10,000). */
  propose(jobId: bigint, providerBps: number): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.proposeSettlement(jobId, providerBps));
  }

  /** Accepts the other party's standing offer; `providerBps` must match it. */
  acceptSettlement(jobId: bigint, providerBps: number): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.acceptSettlement(jobId, providerBps));
  }

  /** The job's arbitrator rules a split (provider's share in bps). */
  resolve(jobId: bigint, providerBps: number): Promise<TxResult> {
    return this.#job(jobId, () => this.contract.resolveDispute(jobId, providerBps));
  }

  /* ------------------------------------------------------------------- credits */

  /** Withdraws the signer's credit in `token` (a failed push or fees), to `to` or to the signer. */
  async withdraw(token: string = NATIVE, to?: string): Promise<TxResult> {
    const r = await this.#send(() =>
      to === undefined ? this.contract.withdraw(token) : this.contract.withdrawTo(token, to),
    );
    return { ...r, jobId: 0n };
  }

  withdrawable(token: string, account: string): Promise<bigint> {
    return this.contract.withdrawable(token, account);
  }

  /* --------------------------------------------------------------------- reads */

  async getJob(jobId: bigint): Promise<JobView> {
    const j = await this.contract.getJob(jobId);
    return {
      id: jobId,
      requester: j.requester,
      provider: j.provider,
      token: j.token,
      amount: j.amount,
      deadline: j.deadline,
      reviewPeriod: j.reviewPeriod,
      jobType: Number(j.jobType),
      status: Number(j.status) as Status,
      jobHash: j.jobHash,
      resultHash: j.resultHash,
      arbitrator: j.arbitrator,
      threshold: Number(j.threshold),
      approvals: Number(j.approvals),
      submittedAt: j.submittedAt,
      platformFeeBps: Number(j.platformFeeBps),
      communityFeeBps: Number(j.communityFeeBps),
      arbitrationFeeBps: Number(j.arbitrationFeeBps),
      disputedBy: j.disputedBy,
      disputedAt: j.disputedAt,
      proposer: j.proposer,
      proposalBps: Number(j.proposalBps),
    };
  }

  /** The approver list of a job (stored as positions on-chain; read back from `JobCreated`). */
  async approversOf(jobId: bigint, range: LogRange = {}): Promise<string[]> {
    const logs = await this.#logs(
      [this.contract.interface.getEvent("JobCreated")!.topicHash, toTopic(jobId)],
      range,
    );
    const created = logs
      .map((l) => this.contract.interface.parseLog(l))
      .find((e) => e?.name === "JobCreated");
    return created ? [...(created.args.approvers as string[])] : [];
  }

  /** What `account` can do next on the job, and from/until when (block time of the latest block). */
  async nextActions(jobId: bigint, account: string): Promise<NextAction[]> {
    const [job, state, block] = await Promise.all([
      this.getJob(jobId),
      this.contract.approverState(jobId, account),
      this.provider.getBlock("latest"),
    ]);
    return nextActions(job, account, BigInt(block!.timestamp), {
      isApprover: state.isApprover,
      approved: state.approved,
    });
  }

  /**
   * The jobs `account` takes part in, rebuilt from events (no on-chain index): as requester or
   * provider (`JobCreated` topics, and `JobAccepted` for open jobs), as arbitrator or approver
   * (`JobCreated` data). Sorted by job id.
   */
  async jobsOf(account: string, range: LogRange = {}): Promise<JobMembership[]> {
    const iface = this.contract.interface;
    const created = iface.getEvent("JobCreated")!.topicHash;
    const accepted = iface.getEvent("JobAccepted")!.topicHash;
    const who = account.toLowerCase();
    const byId = new Map<bigint, JobMembership>();
    const add = (jobId: bigint, role: Role, block: number) => {
      const entry = byId.get(jobId) ?? { jobId, roles: [], createdAtBlock: block };
      if (!entry.roles.includes(role)) entry.roles.push(role);
      byId.set(jobId, entry);
    };
    // Arbitrators and approvers are in the data, so every JobCreated is read; one request per chunk.
    for (const log of await this.#logs([[created, accepted]], range)) {
      const e = iface.parseLog(log);
      if (!e) continue;
      const jobId = e.args.jobId as bigint;
      if (e.name === "JobCreated") {
        if ((e.args.requester as string).toLowerCase() === who)
          add(jobId, "requester", log.blockNumber);
        if ((e.args.provider as string).toLowerCase() === who)
          add(jobId, "provider", log.blockNumber);
        if ((e.args.arbitrator as string).toLowerCase() === who)
          add(jobId, "arbitrator", log.blockNumber);
        if ((e.args.approvers as string[]).some((a) => a.toLowerCase() === who))
          add(jobId, "approver", log.blockNumber);
      } else if ((e.args.provider as string).toLowerCase() === who) {
        add(jobId, "provider", byId.get(jobId)?.createdAtBlock ?? log.blockNumber);
      }
    }
    return [...byId.values()].sort((a, b) => (a.jobId < b.jobId ? -1 : 1));
  }

  /** Every escrow event in a block range, decoded (optionally for one job). */
  async events(range: LogRange = {}, jobId?: bigint): Promise<JobEvent[]> {
    const logs = await this.#logs(jobId === undefined ? [] : [null, toTopic(jobId)], range);
    return logs.flatMap((log) => this.#decode(log, jobId) ?? []);
  }

  /**
   * Calls `listener` for every new escrow event (optionally of one job), by polling eth_getLogs
   * from the next block on: works with any provider, HTTP or in-process. Returns `stop`.
   */
  watch(
    listener: (event: JobEvent) => void,
    options: { jobId?: bigint; pollMs?: number } = {},
  ): () => void {
    let stopped = false;
    let next: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const latest = await this.provider.getBlockNumber();
        if (next === undefined) next = latest + 1;
        if (latest >= next) {
          const topics = options.jobId === undefined ? [] : [null, toTopic(options.jobId)];
          const logs = await this.#logs(topics, { fromBlock: next, toBlock: latest });
          next = latest + 1;
          for (const log of logs) {
            const e = this.#decode(log, options.jobId);
            if (e && !stopped) listener(e);
          }
        }
      } catch {
        /* transient RPC failure: retry on the next tick */
      }
      if (!stopped) timer = setTimeout(poll, options.pollMs ?? 1000);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }

  /* ------------------------------------------------------------------ internal */

  #decode(log: Log, jobId?: bigint): JobEvent | undefined {
    const e = this.contract.interface.parseLog(log);
    if (!e) return undefined;
    const args: Record<string, unknown> = {};
    e.fragment.inputs.forEach((input, i) => (args[input.name] = e.args[i]));
    const id = e.fragment.inputs[0]?.name === "jobId" ? (e.args[0] as bigint) : undefined;
    if (jobId !== undefined && id !== jobId) return undefined;
    return { name: e.name, jobId: id, args, log };
  }

  #logs(topics: (string | string[] | null)[], range: LogRange): Promise<Log[]> {
    return getLogsInChunks(this.provider, this.address, topics, range);
  }

  async #job(jobId: bigint, send: () => Promise<ContractTransactionResponse>): Promise<TxResult> {
    return { ...(await this.#send(send)), jobId };
  }

  async #send(send: () => Promise<ContractTransactionResponse>): Promise<Omit<TxResult, "jobId">> {
    try {
      const tx = await send();
      const receipt = (await tx.wait())!;
      const events = receipt.logs
        .filter((l) => l.address.toLowerCase() === this.address.toLowerCase())
        .flatMap((l) => this.contract.interface.parseLog(l) ?? []);
      return { receipt, events };
    } catch (err) {
      const decoded = decodeEscrowError(err);
      if (decoded) throw new EscrowError(decoded, err);
      throw err;
    }
  }
}

function toTopic(jobId: bigint): string {
  return zeroPadValue(toBeHex(jobId), 32);
}
