/**
 * Verified release through ERC-8004 (docs/verification.md): the requester fixes a job's terms on the
 * ERC8004ValidationAdapter, the provider (the owner of the job's agent) opens the validation request in the
 * ERC-8004 Validation Registry, the validator answers there, and anyone triggers the adapter, which gives the
 * escrow the verdict.
 *
 *   import { requestValidation, triggerValidation, readValidation } from "work-escrow";
 *   await requestValidation(providerSigner, { escrow, jobId, adapter, requestURI: "ipfs://…" });
 *   const { approved } = await triggerValidation(anySigner, { escrow, jobId, adapter });
 *
 * Every call throws an `EscrowError` whose message is the decoded revert in words (adapter, escrow or
 * registry), as the EscrowClient does.
 */
import {
  AbiCoder,
  Interface,
  ZeroAddress,
  ZeroHash,
  keccak256,
  toUtf8Bytes,
  type ContractRunner,
  type ContractTransactionResponse,
  type TransactionReceipt,
} from "ethers";
import { IERC8004ValidationAdapter__factory } from "../typechain-types/factories/interfaces/IERC8004ValidationAdapter__factory.js";
import { IWorkEscrow__factory } from "../typechain-types/factories/interfaces/IWorkEscrow__factory.js";
import { IValidationRegistry__factory } from "../typechain-types/factories/interfaces/erc8004/IValidationRegistry__factory.js";
import {
  EscrowError,
  decodeEscrowError,
  describeError,
  findRevertData,
  type DecodedError,
} from "./errors.js";
import { Status, Verdict } from "./types.js";

/** Where one job's verification lives. */
export interface VerifyTarget {
  /** the WorkEscrow (core) address */
  escrow: string;
  jobId: bigint;
  /** the ERC8004ValidationAdapter the job names as verifier */
  adapter: string;
}

/** A job's adapter terms as the adapter stores them (`validator` is the zero address when none are set). */
export interface ValidationTerms {
  validator: string;
  /** the lowest response (1..100) that approves */
  minScore: number;
  /** keccak256 of the required tag, or the zero hash when any response counts */
  tagHash: string;
}

/** A request's record in the Validation Registry (`getValidationStatus`). */
export interface ValidationRecord {
  validator: string;
  agentId: bigint;
  /** 0..100; 0 also while the validator has not answered */
  response: number;
  responseHash: string;
  tag: string;
  /** unix seconds of the latest response, or of the request while there is none */
  lastUpdate: bigint;
}

/** Everything about a job's verification, read in one go. */
export interface ValidationState {
  status: Status;
  verifier: string;
  verifierFeeBps: number;
  /** the escrow's verdict: None until the verifier (here: the adapter) gives one */
  verdict: Verdict;
  resultHash: string;
  /** set when `adapter` was given */
  terms?: ValidationTerms;
  /** set once the job is submitted */
  requestHash?: string;
  /** set once the request exists in the registry */
  request?: ValidationRecord;
  /** what `validate` would apply now; `reason` says why nothing can be applied (a decoded revert) */
  pending?: { response: number; approved: boolean } | { reason: string };
}

export interface VerifyTx {
  receipt: TransactionReceipt;
}

/** The adapter's rule: keccak256(abi.encode(escrow, jobId, resultHash)). */
export function validationRequestHash(escrow: string, jobId: bigint, resultHash: string): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["address", "uint256", "bytes32"],
      [escrow, jobId, resultHash],
    ),
  );
}

/** keccak256 of a tag as the adapter stores it ("" → the zero hash: any response counts). */
export function tagHash(tag: string): string {
  return tag === "" ? ZeroHash : keccak256(toUtf8Bytes(tag));
}

/**
 * The requester fixes the job's terms on the adapter, once, while the job is Open or Accepted: which
 * validator must answer, the minimum score (1..100) that approves, and optionally the tag of the response
 * that counts ("" = the latest response counts, whatever its tag).
 */
export async function configureValidation(
  runner: ContractRunner,
  t: VerifyTarget & { validator: string; minScore: number; tag?: string },
): Promise<VerifyTx> {
  const adapter = IERC8004ValidationAdapter__factory.connect(t.adapter, runner);
  return send(() => adapter.configure(t.escrow, t.jobId, t.validator, t.minScore, t.tag ?? ""));
}

/**
 * The provider opens the job's validation request in the ERC-8004 Validation Registry: for the request
 * hash of the submitted result, naming the job's validator (from the adapter's terms unless given) and the
 * job's agent (`agentId` of an `agentRequired` job unless given). Must be sent by the agent's owner or an
 * ERC-721 operator of it. `requestURI` points at what the validator needs (inputs, outputs).
 */
export async function requestValidation(
  runner: ContractRunner,
  t: {
    escrow: string;
    jobId: bigint;
    requestURI: string;
    /** the adapter, to read the validator and the registry from */
    adapter?: string;
    /** the Validation Registry (default: the adapter's) */
    registry?: string;
    /** the validator (default: the adapter's terms) */
    validator?: string;
    /** the agent (default: the job's `agentId`) */
    agentId?: bigint;
  },
): Promise<
  VerifyTx & { requestHash: string; registry: string; validator: string; agentId: bigint }
> {
  const escrow = IWorkEscrow__factory.connect(t.escrow, runner);
  const job = await escrow.getJob(t.jobId);
  if (Number(job.status) !== Status.Submitted) {
    throw new Error(
      `job ${t.jobId} is ${Status[Number(job.status)]}: a validation request needs submitted work`,
    );
  }
  const adapter = t.adapter
    ? IERC8004ValidationAdapter__factory.connect(t.adapter, runner)
    : undefined;
  const registryAddress = t.registry ?? (adapter ? await adapter.validationRegistry() : undefined);
  if (!registryAddress) throw new Error("give the Validation Registry or the adapter");
  const validator =
    t.validator ?? (adapter ? (await adapter.terms(t.escrow, t.jobId)).validator : undefined);
  if (!validator || validator === ZeroAddress) {
    throw new Error(
      `job ${t.jobId} has no validator: the requester has not set the adapter's terms`,
    );
  }
  const agentId = t.agentId ?? (job.agentRequired ? job.agentId : undefined);
  if (agentId === undefined) throw new Error(`job ${t.jobId} names no agent: give agentId`);
  const requestHash = validationRequestHash(t.escrow, t.jobId, job.resultHash);
  const registry = IValidationRegistry__factory.connect(registryAddress, runner);
  const existing = await readRecord(runner, registryAddress, requestHash);
  if (existing) {
    throw new Error(
      `request ${requestHash} already exists (validator ${existing.validator}, agent ${existing.agentId})`,
    );
  }
  const r = await send(() =>
    registry.validationRequest(validator, agentId, t.requestURI, requestHash),
  );
  return { ...r, requestHash, registry: registryAddress, validator, agentId };
}

/**
 * Anyone applies the validator's answer: the adapter gives the escrow the verdict (approve → released at
 * once; reject → refund after the review window unless the provider disputes) and forwards the verifier
 * fee to the validator. Checks with a static call first, so a job with nothing to apply throws the
 * adapter's reason without spending gas.
 */
export async function triggerValidation(
  runner: ContractRunner,
  t: VerifyTarget,
): Promise<VerifyTx & { approved: boolean; response: number; requestHash: string }> {
  const adapter = IERC8004ValidationAdapter__factory.connect(t.adapter, runner);
  try {
    await adapter.validate.staticCall(t.escrow, t.jobId);
  } catch (err) {
    throw toEscrowError(err);
  }
  const r = await send(() => adapter.validate(t.escrow, t.jobId));
  const applied = r.receipt.logs
    .filter((l) => l.address.toLowerCase() === t.adapter.toLowerCase())
    .map((l) => adapter.interface.parseLog(l))
    .find((e) => e?.name === "ValidationApplied");
  if (!applied) throw new Error("validate: no ValidationApplied event in the receipt");
  return {
    ...r,
    approved: applied.args.approved as boolean,
    response: Number(applied.args.response),
    requestHash: applied.args.requestHash as string,
  };
}

/** A job's verification: the escrow's verdict, the adapter's terms, the registry's record and what is pending. */
export async function readValidation(
  runner: ContractRunner,
  t: { escrow: string; jobId: bigint; adapter?: string },
): Promise<ValidationState> {
  const job = await IWorkEscrow__factory.connect(t.escrow, runner).getJob(t.jobId);
  const state: ValidationState = {
    status: Number(job.status) as Status,
    verifier: job.verifier,
    verifierFeeBps: Number(job.verifierFeeBps),
    verdict: Number(job.verdict) as Verdict,
    resultHash: job.resultHash,
  };
  if (job.resultHash !== ZeroHash)
    state.requestHash = validationRequestHash(t.escrow, t.jobId, job.resultHash);
  if (!t.adapter) return state;
  const adapter = IERC8004ValidationAdapter__factory.connect(t.adapter, runner);
  const terms = await adapter.terms(t.escrow, t.jobId);
  state.terms = {
    validator: terms.validator,
    minScore: Number(terms.minScore),
    tagHash: terms.tagHash,
  };
  if (state.requestHash) {
    state.request = await readRecord(runner, await adapter.validationRegistry(), state.requestHash);
  }
  if (state.status === Status.Submitted && state.verdict === Verdict.None) {
    try {
      const [, response, approved] = await adapter.preview(t.escrow, t.jobId);
      state.pending = { response: Number(response), approved };
    } catch (err) {
      state.pending = { reason: describeVerifyError(err) };
    }
  }
  return state;
}

/** The registry's record of a request, or undefined when the request does not exist. */
export async function readRecord(
  runner: ContractRunner,
  registry: string,
  requestHash: string,
): Promise<ValidationRecord | undefined> {
  try {
    const s = await IValidationRegistry__factory.connect(registry, runner).getValidationStatus(
      requestHash,
    );
    return {
      validator: s.validatorAddress,
      agentId: s.agentId,
      response: Number(s.response),
      responseHash: s.responseHash,
      tag: s.tag,
      lastUpdate: s.lastUpdate,
    };
  } catch (err) {
    // The ERC's registries revert for a request hash never opened; anything else is a real failure.
    if (decodeEscrowError(err)?.name === "Error") return undefined;
    throw err;
  }
}

/* ----------------------------------------------------------------------------- errors */

const adapterInterface = new Interface(
  IERC8004ValidationAdapter__factory.abi.filter((f) => f.type === "error"),
);

const status = (v: unknown) => Status[Number(v)] ?? `status ${v}`;

/** One sentence per adapter error (the NatSpec of IERC8004ValidationAdapter). */
const SENTENCES: Record<string, (a: Record<string, any>) => string> = {
  ERC8004InvalidRegistry: (a) => `${a.registry} is not a Validation Registry (no code)`,
  ERC8004AlreadyConfigured: (a) => `job ${a.jobId} already has its terms; nobody can change them`,
  ERC8004NotRequester: (a) => `${a.caller} is not the requester of job ${a.jobId}`,
  ERC8004InvalidJobStatus: (a) =>
    `job ${a.jobId} is ${status(a.status)}: terms are set while Open or Accepted, validation needs Submitted`,
  ERC8004NotJobVerifier: (a) => `job ${a.jobId}'s verifier is ${a.verifier}, not this adapter`,
  ERC8004AgentNotRequired: (a) =>
    `job ${a.jobId} does not require an ERC-8004 agent identity (agentRequired), which the adapter needs`,
  ERC8004IdentityRegistryMismatch: (a) =>
    `the escrow's Identity Registry ${a.escrowRegistry} is not the Validation Registry's (${a.validationRegistryIdentity})`,
  ERC8004InvalidValidator: (a) =>
    `validator ${a.validator} is zero or already holds a role in the job`,
  ERC8004InvalidMinScore: (a) => `minimum score ${a.minScore} must be from 1 to 100`,
  ERC8004NotConfigured: (a) =>
    `job ${a.jobId} has no terms on this adapter: it is never judged here`,
  ERC8004NoRequest: (a) =>
    `no validation request ${a.requestHash} yet: the provider opens it (escrow:request-validation)`,
  ERC8004WrongValidator: (a) =>
    `request ${a.requestHash} names validator ${a.actual}, not the job's ${a.expected}: it never counts`,
  ERC8004WrongAgent: (a) =>
    `request ${a.requestHash} was opened for agent ${a.actual}, not the job's agent ${a.expected}: it never counts`,
  ERC8004ValidatorIsProvider: (a) =>
    `validator ${a.validator} became the provider of job ${a.jobId}: its answer cannot count`,
  ERC8004NoResponse: (a) =>
    `the validator has not answered request ${a.requestHash} yet (or not with the job's tag)`,
  ReentrancyGuardReentrantCall: () => "reentrant call",
};

/** Decodes a revert of the adapter; undefined when it is not one of the adapter's errors. */
export function decodeVerifyError(err: unknown): DecodedError | undefined {
  const data = findRevertData(err);
  if (!data) return undefined;
  try {
    const parsed = adapterInterface.parseError(data);
    // ethers also parses the built-in Error(string) and Panic(uint256): those are not the adapter's.
    if (!parsed || parsed.name === "Error" || parsed.name === "Panic") return undefined;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => (args[input.name || String(i)] = parsed.args[i]));
    const sentence = SENTENCES[parsed.name]?.(args) ?? parsed.name;
    return { name: parsed.name, args, message: `${parsed.name}: ${sentence}` };
  } catch {
    return undefined;
  }
}

/** The revert reasons of the ERC-8004 reference registries, in words. */
const REGISTRY_REASONS: Record<string, string> = {
  "Not authorized": "only the agent's owner or an ERC-721 operator of it may do this",
  exists: "a request with this hash already exists (a request hash can be opened once)",
  "bad validator": "the validator address is zero",
  unknown: "the Validation Registry has no request with this hash",
  "not validator": "only the validator named in the request may answer it",
  "resp>100": "a response is a score from 0 to 100",
};

/** A sentence for any error of a verification call: the adapter's, the escrow's, or the registry's reason. */
export function describeVerifyError(err: unknown): string {
  const adapterError = decodeVerifyError(err);
  if (adapterError) return adapterError.message;
  const decoded = decodeEscrowError(err);
  const reason = decoded?.name === "Error" ? String(decoded.args.reason) : undefined;
  if (reason !== undefined && reason in REGISTRY_REASONS) {
    return `${reason}: ${REGISTRY_REASONS[reason]}`;
  }
  return describeError(err);
}

function toEscrowError(err: unknown): unknown {
  const decoded = decodeVerifyError(err) ?? decodeEscrowError(err);
  return decoded ? new EscrowError(decoded, err) : err;
}

async function send(call: () => Promise<ContractTransactionResponse>): Promise<VerifyTx> {
  try {
    const tx = await call();
    return { receipt: (await tx.wait())! };
  } catch (err) {
    throw toEscrowError(err);
  }
}
