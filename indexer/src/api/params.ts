/**
 * Parsing of everything a client sends (path parameters, query strings, bodies): each parser returns
 * the value or throws `BadRequest` with a reason, which the routes answer with 400. No database or
 * RPC here (test/indexer/params.test.ts runs these directly).
 */
import { STATUSES, type StatusName } from "../../enums.js";
import type { BookCursor } from "./bidStore.js";

export type Hex = `0x${string}`;

const UINT256_MAX = (1n << 256n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** A client error: answered with `status` (400 unless said) and `{ error: code, message }`. */
export class BadRequest extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 404 | 409 | 413 | 422 | 503 = 400,
  ) {
    super(message);
  }
}

/** A 20-byte hex address, any case (checksums are not enforced); returned lowercase. */
export function parseAddress(name: string, value: string | undefined): Hex {
  if (value === undefined || !/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw new BadRequest("invalid-address", `${name}: ${show(value)} is not a 20-byte hex address`);
  }
  return value.toLowerCase() as Hex;
}

/** An optional query parameter that is an address. */
export function optionalAddress(name: string, value: string | undefined): Hex | undefined {
  return value === undefined ? undefined : parseAddress(name, value);
}

/** A decimal unsigned integer of at most `max` (leading zeros allowed, no sign, no exponent). */
export function parseUint(name: string, value: unknown, max = UINT256_MAX): bigint {
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0)
    text = String(value);
  else throw new BadRequest("invalid-integer", `${name}: expected a decimal integer string`);
  if (!/^[0-9]{1,80}$/.test(text)) {
    throw new BadRequest("invalid-integer", `${name}: ${show(text)} is not a decimal integer`);
  }
  const n = BigInt(text);
  if (n > max) throw new BadRequest("invalid-integer", `${name}: ${text} is larger than ${max}`);
  return n;
}

/** A job id in a path: a positive uint256 in decimal. */
export function parseJobId(value: string | undefined): bigint {
  if (value === undefined || !/^[0-9]{1,78}$/.test(value)) {
    throw new BadRequest(
      "invalid-job-id",
      `job id ${show(value)} is not a positive decimal integer`,
    );
  }
  const id = BigInt(value);
  if (id === 0n || id > UINT256_MAX) {
    throw new BadRequest("invalid-job-id", `job id ${value} is out of range (1 to 2^256 - 1)`);
  }
  return id;
}

/** `limit`: 1..100, default 20. */
export function parseLimit(value: string | undefined, fallback = 20, max = 100): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]{1,4}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new BadRequest(
      "invalid-limit",
      `limit: ${show(value)} must be an integer from 1 to ${max}`,
    );
  }
  return Number(value);
}

/** `status`: names (any case) or the contract's numbers, comma-separated; "None" is not a job's. */
export function parseStatuses(value: string | undefined): StatusName[] | undefined {
  if (value === undefined) return undefined;
  const out = new Set<StatusName>();
  for (const part of value.split(",")) {
    const p = part.trim();
    const byNumber = /^[0-9]$/.test(p) ? STATUSES[Number(p)] : undefined;
    const byName = STATUSES.find((s) => s.toLowerCase() === p.toLowerCase());
    const status = byNumber ?? byName;
    if (status === undefined || status === "None") {
      throw new BadRequest(
        "invalid-status",
        `status: ${show(p)} is not one of ${STATUSES.slice(1).join(", ")} (or 1-8)`,
      );
    }
    out.add(status);
  }
  return [...out];
}

/** Cursors are opaque to clients: base64url of `j:<last job id>`. */
export function encodeCursor(lastId: bigint): string {
  return Buffer.from(`j:${lastId}`, "utf8").toString("base64url");
}

export function parseCursor(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const fail = () =>
    new BadRequest("invalid-cursor", `cursor: ${show(value)} is not a cursor from this API`);
  if (!/^[A-Za-z0-9_-]{1,120}$/.test(value)) throw fail();
  const match = /^j:([0-9]{1,78})$/.exec(Buffer.from(value, "base64url").toString("utf8"));
  if (match === null) throw fail();
  const id = BigInt(match[1]!);
  if (id === 0n || id > UINT256_MAX) throw fail();
  return id;
}

/** Bid book cursors (where a page of a book ends), opaque too: base64url of `b:<price>:<receivedAt>:<digest>`. */
export function encodeBidCursor(last: BookCursor): string {
  return Buffer.from(`b:${last.price}:${last.receivedAt}:${last.digest}`, "utf8").toString(
    "base64url",
  );
}

export function parseBidCursor(value: string | undefined): BookCursor | undefined {
  if (value === undefined) return undefined;
  const fail = () =>
    new BadRequest(
      "invalid-cursor",
      `cursor: ${show(value)} is not a bid book cursor from this API`,
    );
  if (!/^[A-Za-z0-9_-]{1,300}$/.test(value)) throw fail();
  const match = /^b:([0-9]{1,78}):([0-9]{1,15}):(0x[0-9a-f]{64})$/.exec(
    Buffer.from(value, "base64url").toString("utf8"),
  );
  if (match === null) throw fail();
  const price = BigInt(match[1]!);
  if (price > UINT256_MAX) throw fail();
  return { price, receivedAt: Number(match[2]!), digest: match[3]! as Hex };
}

/** A bid as POSTed: `{ bid: { jobId, provider, price, expiry, nonce }, signature, escrow?, chainId? }`. */
export interface ParsedBid {
  jobId: bigint;
  provider: Hex;
  price: bigint;
  expiry: bigint;
  nonce: bigint;
  signature: Hex;
  escrow?: Hex;
  chainId?: bigint;
}

/** Signatures: 65-byte ECDSA for an EOA, anything a contract wallet accepts (bounded) for ERC-1271. */
const MAX_SIGNATURE_BYTES = 2048;

export function parseBidBody(body: unknown): ParsedBid {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new BadRequest("invalid-body", "the body must be a JSON object { bid, signature }");
  }
  const b = body as Record<string, unknown>;
  const bid = b.bid;
  if (bid === null || typeof bid !== "object" || Array.isArray(bid)) {
    throw new BadRequest(
      "invalid-body",
      "bid: expected an object { jobId, provider, price, expiry, nonce }",
    );
  }
  const fields = bid as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!["jobId", "provider", "price", "expiry", "nonce"].includes(key)) {
      throw new BadRequest("invalid-body", `bid.${key}: unknown field`);
    }
  }
  const signature = b.signature;
  if (
    typeof signature !== "string" ||
    !/^0x([0-9a-fA-F]{2})+$/.test(signature) ||
    (signature.length - 2) / 2 > MAX_SIGNATURE_BYTES
  ) {
    throw new BadRequest(
      "invalid-signature",
      `signature: expected 0x-prefixed hex bytes (at most ${MAX_SIGNATURE_BYTES})`,
    );
  }
  const provider = fields.provider;
  return {
    jobId: parseUint("bid.jobId", fields.jobId),
    provider: parseAddress("bid.provider", typeof provider === "string" ? provider : undefined),
    price: parseUint("bid.price", fields.price),
    expiry: parseUint("bid.expiry", fields.expiry, UINT64_MAX),
    nonce: parseUint("bid.nonce", fields.nonce),
    signature: signature.toLowerCase() as Hex,
    escrow:
      b.escrow === undefined
        ? undefined
        : parseAddress("escrow", typeof b.escrow === "string" ? b.escrow : undefined),
    chainId: b.chainId === undefined ? undefined : parseUint("chainId", b.chainId),
  };
}

function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
