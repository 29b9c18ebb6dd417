/**
 * `work-escrow/viem`: the WorkEscrow SDK for viem 2.x users — plain functions over the `as const`
 * ABIs, equal to the ethers `EscrowClient` for reads, writes and decoded errors, with no ethers
 * import anywhere in this entry (a test loads it with ethers unresolvable).
 *
 *   import { createJob, getJob, decodeEscrowError, hashContent } from "work-escrow/viem";
 *   const { jobId } = await createJob(walletClient, { escrow, publicClient, amount, deadline, jobHash, arbitrator });
 *   const job = await getJob(publicClient, { escrow, jobId });
 *
 * Every write checks what the SDK can check first (the job's terms against the escrow's bounds,
 * balances, an `eth_call`), approves an ERC-20 exactly when needed, waits for the receipt and returns
 * `{ jobId, hash, receipt, events }`; every failure is thrown as an `EscrowError` with the same
 * sentence the ethers client gives.
 */
import {
  BaseError,
  decodeErrorResult,
  keccak256,
  parseEventLogs,
  toBytes,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import { iWorkEscrowAbi } from "../../abi/index.js";
import { checkJobParams, createJobCall, jobParams, toJobView, type RawJob } from "../checks.js";
import { nextActions, disputeDeposit, type AccountContext, type NextAction } from "../next.js";
import {
  ESCROW_ERRORS_ABI,
  EscrowError,
  describeDecoded,
  findRevertData,
  preflightError,
  type DecodedError,
} from "../sentences.js";
import { NATIVE, Status, type Bounds, type CreateJobInput, type JobView } from "../types.js";

export * from "../shared.js";
export * from "../../abi/index.js";

/** The escrow (core) address every call goes to. */
export interface EscrowTarget {
  escrow: Address;
}

/** What a write returns once its receipt is mined. */
export interface ViemTxResult {
  /** the job the call concerns (0 for calls about no single job) */
  jobId: bigint;
  hash: Hex;
  receipt: TransactionReceipt;
  /** the escrow events of the transaction, decoded (`eventName`, `args`) */
  events: { eventName: string; args: Record<string, unknown> }[];
}

/** Options of every write: a public client to simulate and wait with (default: the wallet client itself, if extended with publicActions). */
export interface WriteOptions extends EscrowTarget {
  publicClient?: PublicClient;
}

/** Any viem wallet client with an account (a local account or a JSON-RPC one). */
export type AnyWallet = WalletClient<Transport, Chain | undefined, Account | undefined>;

/** A write about one job: `(walletClient, { escrow, publicClient?, jobId, …extra })`. */
export type JobCall<Extra extends object = object> = (
  wallet: AnyWallet,
  options: WriteOptions & { jobId: bigint } & Extra,
) => Promise<ViemTxResult>;

const ERC20_ABI = [
  {
    type: "function",
    name: "balanceOf",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "allowance",
    stateMutability: "view",
    inputs: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
    ],
    outputs: [{ name: "", type: "uint256" }],
  },
  // No return value: USDT-style tokens return nothing.
  {
    type: "function",
    name: "approve",
    stateMutability: "nonpayable",
    inputs: [
      { name: "spender", type: "address" },
      { name: "amount", type: "uint256" },
    ],
    outputs: [],
  },
] as const;

/* ------------------------------------------------------------------------- errors */

/** Sentences for viem failures that are not reverts, by error name. */
const FAILURES: Record<string, string> = {
  InsufficientFundsError: "the account cannot pay for the gas and the value of this transaction",
  NonceTooLowError:
    "the transaction's nonce was already used (another transaction from this account got there first): send it again",
  UserRejectedRequestError: "the wallet's user rejected the request",
  HttpRequestError: "the node is unreachable",
  TimeoutError: "the node did not answer in time",
};

/**
 * The decoded custom error of a failed WorkEscrow call (any error viem threw: a simulation, a write,
 * a read), or undefined when it is not a revert. Same names, arguments and sentences as the ethers
 * client's `decodeEscrowError`.
 */
export function decodeEscrowError(err: unknown): DecodedError | undefined {
  if (err instanceof EscrowError) return err.decoded;
  const data = findRevertData(err);
  if (!data) return undefined;
  try {
    const { errorName, args } = decodeErrorResult({
      abi: ESCROW_ERRORS_ABI as unknown as Abi,
      data: data as Hex,
    });
    return describeDecoded(errorName, (args ?? []) as readonly unknown[]);
  } catch {
    try {
      const { args } = decodeErrorResult({
        abi: [
          {
            type: "error",
            name: "Error",
            inputs: [{ name: "reason", type: "string" }],
          },
        ],
        data: data as Hex,
      });
      return describeDecoded("Error", args as readonly unknown[]);
    } catch {
      return undefined;
    }
  }
}

/** Any failure as an EscrowError: the decoded revert, else the kind of failure in words. */
export function toEscrowError(err: unknown): EscrowError {
  if (err instanceof EscrowError) return err;
  const decoded = decodeEscrowError(err);
  if (decoded) return new EscrowError(decoded, err);
  let name = "Error";
  if (err instanceof BaseError) {
    const known = err.walk((e) => (e as Error).name in FAILURES) as Error | null;
    if (known) name = known.name.replace(/Error$/, "");
    const sentence = known ? FAILURES[known.name] : undefined;
    const own = err.shortMessage;
    return new EscrowError(
      { name, args: { reason: own }, message: sentence ? `${name}: ${sentence} (${own})` : own },
      err,
    );
  }
  const message = (err as Error)?.message ?? String(err);
  return new EscrowError({ name, args: { reason: message }, message }, err);
}

/* -------------------------------------------------------------------------- reads */

/** Content hash stored on-chain for a spec or a result: keccak256 of the bytes (a string as UTF-8). */
export function hashContent(content: string | Uint8Array): Hex {
  return keccak256(typeof content === "string" ? toBytes(content) : content);
}

/** `getJob(jobId)` as a JobView (the same shape as the ethers client's). */
export async function getJob(
  client: PublicClient,
  { escrow, jobId }: EscrowTarget & { jobId: bigint },
): Promise<JobView> {
  const raw = await read(client, escrow, "getJob", [jobId]);
  return toJobView(jobId, raw as RawJob);
}

/** The protocol's bounds as the escrow publishes them. */
export async function getBounds(client: PublicClient, { escrow }: EscrowTarget): Promise<Bounds> {
  const names = [
    "MIN_REVIEW",
    "MAX_REVIEW",
    "MAX_DURATION",
    "MIN_WORK_TIME",
    "MAX_APPROVERS",
    "MAX_VERIFIER_FEE_BPS",
    "MIN_ARBITRATION_PERIOD",
    "MAX_ARBITRATION_PERIOD",
    "DEFAULT_ARBITRATION_PERIOD",
  ] as const;
  const v = (await Promise.all(names.map((n) => read(client, escrow, n, [])))).map((x) =>
    BigInt(x as bigint),
  );
  return {
    minReview: v[0],
    maxReview: v[1],
    maxDuration: v[2],
    minWorkTime: v[3],
    maxApprovers: v[4],
    maxVerifierFeeBps: v[5],
    minArbitrationPeriod: v[6],
    maxArbitrationPeriod: v[7],
    defaultArbitrationPeriod: v[8],
  };
}

/** What `account` can do next on the job, from/until when (latest block time), paying or earning what. */
export async function getNextActions(
  client: PublicClient,
  { escrow, jobId, account }: EscrowTarget & { jobId: bigint; account: Address },
): Promise<NextAction[]> {
  const [job, block] = await Promise.all([
    getJob(client, { escrow, jobId }),
    client.getBlock({ blockTag: "latest" }),
  ]);
  const [isApprover, approved] = (await read(client, escrow, "approverState", [
    jobId,
    account,
  ])) as readonly [boolean, boolean];
  const ctx: AccountContext = { isApprover, approved };
  if (job.agentRequired) {
    try {
      const registry = (await read(client, escrow, "identityRegistry", [])) as Address;
      const owner = await client.readContract({
        address: registry,
        abi: [
          {
            type: "function",
            name: "ownerOf",
            stateMutability: "view",
            inputs: [{ name: "id", type: "uint256" }],
            outputs: [{ name: "", type: "address" }],
          },
        ],
        functionName: "ownerOf",
        args: [job.agentId],
      });
      ctx.isAgentOwner = owner.toLowerCase() === account.toLowerCase();
    } catch {
      ctx.isAgentOwner = false;
    }
  }
  return nextActions(job, account, block.timestamp, ctx);
}

/** The credit `account` can withdraw in `token` (the zero address for the native coin). */
export async function getWithdrawable(
  client: PublicClient,
  {
    escrow,
    token = NATIVE as Address,
    account,
  }: EscrowTarget & { token?: Address; account: Address },
): Promise<bigint> {
  return (await read(client, escrow, "withdrawable", [token, account])) as bigint;
}

/* ------------------------------------------------------------------------- writes */

/**
 * Creates and funds a job: the terms are checked against the escrow's bounds first (the contract's
 * own errors, nothing sent), then the balance; an ERC-20 is approved exactly when the allowance is
 * short (a non-zero allowance is set to 0 first, as USDT requires; `approve: false` to manage it).
 */
export async function createJob(
  wallet: AnyWallet,
  options: WriteOptions & CreateJobInput & { approve?: boolean },
): Promise<ViemTxResult> {
  const pc = publicOf(wallet, options);
  const owner = accountOf(wallet);
  const p = jobParams(options);
  const [bounds, paused, minAmount, arbitrator, identityRegistry, block] = await Promise.all([
    getBounds(pc, options),
    read(pc, options.escrow, "paused", []),
    read(pc, options.escrow, "minAmount", [p.token]),
    read(pc, options.escrow, "arbitratorInfo", [p.arbitrator]),
    p.agentRequired ? read(pc, options.escrow, "identityRegistry", []) : Promise.resolve(NATIVE),
    pc.getBlock({ blockTag: "latest" }),
  ]);
  const problem = checkJobParams(p, owner, block.timestamp + 1n, {
    bounds,
    paused: paused as boolean,
    minAmount: minAmount as bigint,
    arbitratorRegistered: (arbitrator as readonly [boolean, bigint])[0],
    identityRegistry: identityRegistry as string,
  });
  if (problem) throw new EscrowError(problem, undefined);
  const total = p.amount + p.keeperTip;
  const native = p.token === NATIVE;
  if (!native) {
    await checkBalance(pc, p.token as Address, owner, total);
    if (options.approve !== false)
      await ensureAllowance(wallet, pc, p.token as Address, owner, options.escrow, total);
  }
  // v1's createJob when no optional term is set (cheaper), else createJobWithOptions.
  const call = createJobCall(p);
  const r = await send(wallet, pc, options.escrow, call.method, call.args, native ? total : 0n);
  const created = r.events.find((e) => e.eventName === "JobCreated");
  if (!created) throw new Error("createJob: no JobCreated event in the receipt");
  return { ...r, jobId: created.args.jobId as bigint };
}

/** Accepts an Open job, posting its bond (native value, or an ERC-20 approved when short). */
export async function acceptJob(
  wallet: AnyWallet,
  options: WriteOptions & { jobId: bigint; approve?: boolean },
): Promise<ViemTxResult> {
  const pc = publicOf(wallet, options);
  const job = await getJob(pc, options);
  const bond = job.status === Status.Open && !job.bondPosted ? job.providerBond : 0n;
  return payAndSend(wallet, pc, options, job, bond, "acceptJob", [options.jobId]);
}

/** Disputes submitted work within the review window, posting the dispute deposit. */
export async function raiseDispute(
  wallet: AnyWallet,
  options: WriteOptions & { jobId: bigint; reason: string; approve?: boolean },
): Promise<ViemTxResult> {
  const pc = publicOf(wallet, options);
  const job = await getJob(pc, options);
  const deposit = job.status === Status.Submitted ? disputeDeposit(job) : 0n;
  return payAndSend(wallet, pc, options, job, deposit, "raiseDispute", [
    options.jobId,
    options.reason,
  ]);
}

/** A call about one job that moves no money in: `submitWork`, `release`, `approveWork`, … */
function jobCall<N extends string, Extra extends object = object>(
  functionName: N,
  args: (o: { jobId: bigint } & Extra) => readonly unknown[],
): JobCall<Extra> {
  return async (
    wallet: AnyWallet,
    options: WriteOptions & { jobId: bigint } & Extra,
  ): Promise<ViemTxResult> => {
    const pc = publicOf(wallet, options);
    const r = await send(wallet, pc, options.escrow, functionName, args(options), 0n);
    return { ...r, jobId: options.jobId };
  };
}

/** The provider submits the hash of the result (see `hashContent`). */
export const submitWork: JobCall<{ resultHash: Hex }> = jobCall<"submitWork", { resultHash: Hex }>(
  "submitWork",
  (o) => [o.jobId, o.resultHash],
);
/** Pays the provider (the requester any time after acceptance; anyone after the review window). */
export const release: JobCall = jobCall("release", (o) => [o.jobId]);
/** The requester pays `amount` (base units) of the job now. */
export const releasePartial: JobCall<{ amount: bigint }> = jobCall<
  "releasePartial",
  { amount: bigint }
>("releasePartial", (o) => [o.jobId, o.amount]);
/** The provider returns `amount` (base units) to the requester now. */
export const refundPartial: JobCall<{ amount: bigint }> = jobCall<
  "refundPartial",
  { amount: bigint }
>("refundPartial", (o) => [o.jobId, o.amount]);
/** An approver approves the submitted work. */
export const approveWork: JobCall = jobCall("approveWork", (o) => [o.jobId]);
/** The job's verifier approves or rejects the submitted work, once. */
export const verifyWork: JobCall<{ approved: boolean }> = jobCall<
  "verifyWork",
  { approved: boolean }
>("verifyWork", (o) => [o.jobId, o.approved]);
/** The requester cancels an Open job. */
export const cancelJob: JobCall = jobCall("cancelJob", (o) => [o.jobId]);
/** Anyone refunds a job past its deadline (or a rejection's review window). */
export const refundExpired: JobCall = jobCall("refundExpired", (o) => [o.jobId]);
/** Publishes evidence for a disputed job. */
export const submitEvidence: JobCall<{ uri: string }> = jobCall<"submitEvidence", { uri: string }>(
  "submitEvidence",
  (o) => [o.jobId, o.uri],
);
/** Offers a split: the provider's share in basis points (0 = mutual cancellation). */
export const proposeSettlement: JobCall<{ providerBps: number }> = jobCall<
  "proposeSettlement",
  { providerBps: number }
>("proposeSettlement", (o) => [o.jobId, o.providerBps]);
/** Accepts the other party's standing offer. */
export const acceptSettlement: JobCall<{ providerBps: number }> = jobCall<
  "acceptSettlement",
  { providerBps: number }
>("acceptSettlement", (o) => [o.jobId, o.providerBps]);
/** The job's arbitrator rules a split. */
export const resolveDispute: JobCall<{ providerBps: number }> = jobCall<
  "resolveDispute",
  { providerBps: number }
>("resolveDispute", (o) => [o.jobId, o.providerBps]);
/** Anyone splits a dispute 50/50 once the job's arbitration period is over. */
export const settleStaleDispute: JobCall = jobCall("settleStaleDispute", (o) => [o.jobId]);

/** Withdraws the caller's credit in `token` (default native), to `to` (default: the caller). */
export async function withdraw(
  wallet: AnyWallet,
  options: WriteOptions & { token?: Address; to?: Address },
): Promise<ViemTxResult> {
  const pc = publicOf(wallet, options);
  const token = options.token ?? (NATIVE as Address);
  return options.to
    ? send(wallet, pc, options.escrow, "withdrawTo", [token, options.to], 0n)
    : send(wallet, pc, options.escrow, "withdraw", [token], 0n);
}

/* ----------------------------------------------------------------------- internal */

async function read(
  client: PublicClient,
  escrow: Address,
  functionName: string,
  args: readonly unknown[],
): Promise<unknown> {
  try {
    return await client.readContract({
      address: escrow,
      abi: iWorkEscrowAbi as Abi,
      functionName,
      args,
    });
  } catch (err) {
    throw toEscrowError(err);
  }
}

function publicOf(wallet: AnyWallet, o: { publicClient?: PublicClient }): PublicClient {
  const pc = o.publicClient ?? (wallet as unknown as PublicClient);
  if (typeof pc.readContract !== "function" || typeof pc.waitForTransactionReceipt !== "function")
    throw new Error(
      "work-escrow/viem: pass { publicClient } (or a wallet client extended with publicActions)",
    );
  return pc;
}

function accountOf(wallet: AnyWallet): Address {
  if (!wallet.account)
    throw new EscrowError(
      { name: "NoSigner", args: {}, message: "NoSigner: the wallet client has no account" },
      undefined,
    );
  return wallet.account.address;
}

async function checkBalance(pc: PublicClient, token: Address, owner: Address, needed: bigint) {
  const balance = await pc.readContract({
    address: token,
    abi: ERC20_ABI,
    functionName: "balanceOf",
    args: [owner],
  });
  if (balance < needed)
    throw new EscrowError(
      preflightError("ERC20InsufficientBalance", [owner, balance, needed]),
      undefined,
    );
}

async function ensureAllowance(
  wallet: AnyWallet,
  pc: PublicClient,
  token: Address,
  owner: Address,
  spender: Address,
  needed: bigint,
) {
  const allowance = await pc.readContract({
    address: token,
    abi: ERC20_ABI,
    functionName: "allowance",
    args: [owner, spender],
  });
  if (allowance >= needed) return;
  const approve = async (amount: bigint) => {
    try {
      const hash = await wallet.writeContract({
        address: token,
        abi: ERC20_ABI,
        functionName: "approve",
        args: [spender, amount],
        account: wallet.account!,
        chain: wallet.chain,
      });
      await pc.waitForTransactionReceipt({ hash });
    } catch (err) {
      throw toEscrowError(err);
    }
  };
  if (allowance !== 0n) await approve(0n);
  await approve(needed);
}

/** A call that posts `amount` of the job's token (bond, deposit): value, or an approval after an eth_call. */
async function payAndSend(
  wallet: AnyWallet,
  pc: PublicClient,
  options: WriteOptions & { jobId: bigint; approve?: boolean },
  job: JobView,
  amount: bigint,
  functionName: string,
  args: readonly unknown[],
): Promise<ViemTxResult> {
  const native = job.token === NATIVE;
  if (!native && amount > 0n) {
    const owner = accountOf(wallet);
    await checkBalance(pc, job.token as Address, owner, amount);
    if (options.approve !== false)
      await ensureAllowance(wallet, pc, job.token as Address, owner, options.escrow, amount);
  }
  const r = await send(wallet, pc, options.escrow, functionName, args, native ? amount : 0n);
  return { ...r, jobId: options.jobId };
}

/** Simulates (so a revert is decoded before anything is signed), sends, waits, decodes the events. */
async function send(
  wallet: AnyWallet,
  pc: PublicClient,
  escrow: Address,
  functionName: string,
  args: readonly unknown[],
  value: bigint,
): Promise<ViemTxResult> {
  const account = wallet.account ?? accountOf(wallet);
  try {
    const { request } = await pc.simulateContract({
      address: escrow,
      abi: iWorkEscrowAbi as Abi,
      functionName,
      args,
      account,
      ...(value > 0n ? { value } : {}),
    });
    const hash = await wallet.writeContract({ ...request, chain: wallet.chain, account } as never);
    const receipt = await pc.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success")
      throw new EscrowError(
        {
          name: "Reverted",
          args: { hash },
          message: `Reverted: transaction ${hash} reverted on-chain`,
        },
        undefined,
      );
    const events = parseEventLogs({
      abi: iWorkEscrowAbi as Abi,
      logs: receipt.logs.filter((l) => l.address.toLowerCase() === escrow.toLowerCase()),
    }).map((e) => ({
      eventName: e.eventName as string,
      args: e.args as unknown as Record<string, unknown>,
    }));
    return { jobId: 0n, hash, receipt, events };
  } catch (err) {
    throw toEscrowError(err);
  }
}
