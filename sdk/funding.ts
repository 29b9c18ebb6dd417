/**
 * One-transaction ERC-20 funding: create and fund a job with an ERC-3009 authorization (as USDC
 * offers) or an EIP-2612 permit when the token supports one, else approve then create. Standalone
 * functions over the typechain `IWorkEscrow` and an ethers `Signer`.
 *
 *   const { jobId, method } = await createJob(escrow, requester, params);      // picks the method
 *   await createJob(escrow, requester, params, { relayer });                    // requester pays no gas (ERC-3009)
 *   await createJob(escrow, requester, params, { relayer, forwarder });         // or via ERC-2771 (permit)
 *
 * Support is detected from the token itself: EIP-5267 `eip712Domain()` when it has it, else its
 * `name()` / `version()` checked against its `DOMAIN_SEPARATOR()` (USDC has no EIP-5267); ERC-3009 by
 * `authorizationState`, EIP-2612 by `nonces` (and a `PERMIT_TYPEHASH` that, when published, must be
 * EIP-2612's: DAI's older permit is not). In "auto" mode each signed method is simulated first and
 * the next one is tried if it would fail.
 */
import {
  Contract,
  TypedDataEncoder,
  Signature,
  ZeroHash,
  getAddress,
  id,
  type Overrides,
  type Provider,
  type Signer,
  type TransactionReceipt,
  type TypedDataDomain,
} from "ethers";
import type { IWorkEscrow, IWorkEscrowTypes } from "../typechain-types/interfaces/IWorkEscrow.js";
import type { WorkEscrowForwarder } from "../typechain-types/WorkEscrowForwarder.js";
import { toEscrowError } from "./errors.js";
import { broadcast } from "./send.js";
import { RelayError, relay, signRequest } from "./relay.js";
import { NATIVE } from "./types.js";
import { createJobCall, splitJobParams } from "./checks.js";

/** How a job was funded. */
export type FundingMethod =
  | "native" // msg.value
  | "allowance" // the escrow's existing allowance, plain createJob
  | "authorization" // ERC-3009 receiveWithAuthorization (createJobWithAuthorization)
  | "permit" // EIP-2612 permit (createJobWithPermit)
  | "approve"; // an approve transaction, then createJob

export const RECEIVE_WITH_AUTHORIZATION_TYPES = {
  ReceiveWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
};

export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

const EIP2612_PERMIT_TYPEHASH = id(
  "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
);

const TOKEN_ABI = [
  "function name() view returns (string)",
  "function version() view returns (string)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
  "function PERMIT_TYPEHASH() view returns (bytes32)",
  "function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)",
  "function nonces(address owner) view returns (uint256)",
  "function authorizationState(address authorizer, bytes32 nonce) view returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
];

/** What signed funding a token offers, with the EIP-712 domain to sign in. */
export interface TokenSignatureSupport {
  domain?: TypedDataDomain;
  /** ERC-3009 receiveWithAuthorization */
  authorization: boolean;
  /** EIP-2612 permit */
  permit: boolean;
}

async function optional<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch {
    return undefined;
  }
}

/** The token's EIP-712 domain: EIP-5267 if it has it, else name/version matched to DOMAIN_SEPARATOR. */
export async function tokenDomain(
  token: string,
  provider: Provider,
): Promise<TypedDataDomain | undefined> {
  const c = new Contract(token, TOKEN_ABI, provider);
  const chainId = (await provider.getNetwork()).chainId;
  const separator: string | undefined = await optional(() => c.DOMAIN_SEPARATOR());
  const matches = (d: TypedDataDomain) =>
    separator === undefined || TypedDataEncoder.hashDomain(d) === separator;
  const d = await optional(() => c.eip712Domain());
  // fields 0x0f: name, version, chainId, verifyingContract (no salt, no extensions)
  if (d && d.fields === "0x0f") {
    const domain = {
      name: d.name as string,
      version: d.version as string,
      chainId: d.chainId as bigint,
      verifyingContract: d.verifyingContract as string,
    };
    if (matches(domain)) return domain;
  }
  if (separator === undefined) return undefined; // nothing to check a guess against
  const name: string | undefined = await optional(() => c.name());
  if (name === undefined) return undefined;
  const published: string | undefined = await optional(() => c.version());
  for (const version of [published, "1", "2"]) {
    if (version === undefined) continue;
    const domain = { name, version, chainId, verifyingContract: getAddress(token) };
    if (matches(domain)) return domain;
  }
  return undefined;
}

/** Probes `token` for ERC-3009 and EIP-2612 support (read-only calls). */
export async function tokenSignatureSupport(
  token: string,
  provider: Provider,
  owner: string,
): Promise<TokenSignatureSupport> {
  const c = new Contract(token, TOKEN_ABI, provider);
  const domain = await tokenDomain(token, provider);
  if (!domain) return { authorization: false, permit: false };
  const state = await optional(() => c.authorizationState(owner, ZeroHash));
  const nonce = await optional(() => c.nonces(owner));
  const typehash: string | undefined = await optional(() => c.PERMIT_TYPEHASH());
  return {
    domain,
    authorization: typeof state === "boolean",
    permit:
      typeof nonce === "bigint" && (typehash === undefined || typehash === EIP2612_PERMIT_TYPEHASH),
  };
}

/** What `createJob` did. */
export interface FundedJob {
  jobId: bigint;
  method: FundingMethod;
  receipt: TransactionReceipt;
}

export interface CreateJobOptions {
  /** "auto" (default): native, else the allowance if enough, else ERC-3009, else EIP-2612, else approve */
  method?: "auto" | FundingMethod;
  /** how long a signed authorization or permit stays valid, seconds (default 3600) */
  validFor?: bigint;
  /**
   * Someone else pays the gas: an ERC-3009 authorization is sent by `relayer` directly; any other
   * method (but approve) goes through `forwarder` as an ERC-2771 request signed by the requester.
   */
  relayer?: Signer;
  forwarder?: WorkEscrowForwarder;
}

/** A job's terms and optional terms together (`createJob` or `createJobWithOptions` is picked). */
type JobParams = IWorkEscrowTypes.JobParamsStruct & IWorkEscrowTypes.JobOptionsStruct;

/**
 * Creates and funds a job for `signer` (the requester), choosing how to fund it (see the module
 * comment). Throws an `EscrowError` with a sentence when anything fails (the escrow's custom error
 * when the creation reverts), or a `RelayError` when a relayed request is refused by its checks.
 */
export async function createJob(
  escrow: IWorkEscrow,
  signer: Signer,
  params: JobParams,
  options: CreateJobOptions = {},
): Promise<FundedJob> {
  const provider = signer.provider;
  if (!provider) throw new Error("createJob needs a signer connected to a provider");
  const owner = getAddress(await signer.getAddress());
  const escrowAddress = getAddress(await escrow.getAddress());
  const token = getAddress(String(params.token));
  const total = BigInt(params.amount) + BigInt(params.keeperTip);
  const mine = escrow.connect(signer);
  // v1's createJob when no optional term is set (cheaper), else createJobWithOptions; the signed
  // funding functions take the terms and the options apart.
  const call = createJobCall(params);
  const createData = () =>
    call.method === "createJob"
      ? mine.interface.encodeFunctionData("createJob", call.args)
      : mine.interface.encodeFunctionData("createJobWithOptions", call.args);
  const create = (o: Overrides) => mine.getFunction(call.method)(...call.args, o);
  const { terms, options: jobOptions } = splitJobParams(params);
  const validFor = options.validFor ?? 3600n;
  const now = BigInt((await provider.getBlock("latest"))!.timestamp);

  const viaForwarder = async (data: string, value: bigint) => {
    if (!options.forwarder) throw new Error("a relayed creation needs the escrow's forwarder");
    const signed = await signRequest(options.forwarder, signer, { to: escrowAddress, data, value });
    return (await relay(options.forwarder.connect(options.relayer!), signed)).receipt;
  };
  const send = async (method: FundingMethod, call: () => Promise<TransactionReceipt>) => {
    try {
      const receipt = await call();
      return { jobId: createdJobId(escrow, receipt), method, receipt };
    } catch (err) {
      throw err instanceof RelayError ? err : toEscrowError(err);
    }
  };
  // Sent one at a time per local Wallet (approve then create: see ./send.ts).
  const wait = async (
    from: Signer,
    call: (o: Overrides) => Promise<{ wait(): Promise<TransactionReceipt | null> }>,
  ) => (await (await broadcast(from, call)).wait())!;

  if (token === NATIVE) {
    if (options.relayer) return send("native", () => viaForwarder(createData(), total));
    return send("native", () => wait(signer, (o) => create({ ...o, value: total })));
  }

  const erc20 = new Contract(token, TOKEN_ABI, signer);
  const wanted = options.method ?? "auto";
  const allowance: bigint = await erc20.allowance(owner, escrowAddress);
  const candidates: FundingMethod[] = [];
  if (wanted === "auto") {
    if (allowance >= total) candidates.push("allowance");
    const support = await tokenSignatureSupport(token, provider, owner);
    if (support.authorization) candidates.push("authorization");
    if (support.permit) candidates.push("permit");
    candidates.push("approve");
  } else {
    candidates.push(wanted);
  }

  for (const method of candidates) {
    const last = method === candidates[candidates.length - 1];
    if (method === "allowance") {
      if (options.relayer) return send(method, () => viaForwarder(createData(), 0n));
      return send(method, () => wait(signer, create));
    }
    if (method === "approve") {
      if (options.relayer)
        throw new Error(
          `token ${token} supports no signed funding: the requester must approve it (a transaction)`,
        );
      if (allowance < total)
        await wait(signer, (o) => erc20.approve(escrowAddress, total, o)).catch((err) => {
          throw toEscrowError(err);
        });
      return send(method, () => wait(signer, create));
    }
    const domain = await tokenDomain(token, provider);
    if (!domain) {
      if (last) throw new Error(`token ${token}: no EIP-712 domain found for ${method}`);
      continue;
    }
    if (method === "authorization") {
      const nonce = await escrow.authorizationNonce(terms, jobOptions);
      const auth = {
        from: owner,
        to: escrowAddress,
        value: total,
        validAfter: 0n,
        validBefore: now + validFor,
        nonce,
      };
      const sig = Signature.from(
        await signer.signTypedData(domain, RECEIVE_WITH_AUTHORIZATION_TYPES, auth),
      );
      const sender = escrow.connect(options.relayer ?? signer);
      const args = [
        terms,
        jobOptions,
        owner,
        auth.validAfter,
        auth.validBefore,
        sig.v,
        sig.r,
        sig.s,
      ] as const;
      if (!last && !(await succeeds(() => sender.createJobWithAuthorization.staticCall(...args))))
        continue;
      return send(method, () =>
        wait(options.relayer ?? signer, (o) => sender.createJobWithAuthorization(...args, o)),
      );
    }
    // permit
    const nonce: bigint = await erc20.nonces(owner);
    const deadline = now + validFor;
    const permit = { owner, spender: escrowAddress, value: total, nonce, deadline };
    const sig = Signature.from(await signer.signTypedData(domain, PERMIT_TYPES, permit));
    const args = [terms, jobOptions, deadline, sig.v, sig.r, sig.s] as const;
    if (!last && !(await succeeds(() => mine.createJobWithPermit.staticCall(...args)))) continue;
    if (options.relayer)
      return send(method, () =>
        viaForwarder(mine.interface.encodeFunctionData("createJobWithPermit", [...args]), 0n),
      );
    return send(method, () => wait(signer, (o) => mine.createJobWithPermit(...args, o)));
  }
  throw new Error("createJob: no funding method left");
}

async function succeeds(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch {
    return false;
  }
}

/** The id of the job a receipt created (its `JobCreated` event). */
export function createdJobId(escrow: IWorkEscrow, receipt: TransactionReceipt): bigint {
  for (const log of receipt.logs) {
    try {
      const e = escrow.interface.parseLog(log);
      if (e?.name === "JobCreated") return e.args.jobId as bigint;
    } catch {
      /* another contract's log */
    }
  }
  throw new Error("no JobCreated event in the receipt");
}
