import { Interface, isHexString, type ErrorDescription } from "ethers";
import {
  ESCROW_ERRORS_ABI,
  EscrowError,
  describeDecoded,
  findRevertData,
  type DecodedError,
} from "./sentences.js";

export { EscrowError, findRevertData, preflightError, type DecodedError } from "./sentences.js";

// Interfaces only: no contract bytecode ends up in a dapp's bundle.
const escrowInterface = new Interface(ESCROW_ERRORS_ABI as never);

/** Decodes raw revert data (`0x` + selector + args) from a WorkEscrow or CommunityFund call. */
export function decodeRevertData(data: string): DecodedError | undefined {
  if (!isHexString(data) || data.length < 10) return undefined;
  let parsed: ErrorDescription | null = null;
  try {
    parsed = escrowInterface.parseError(data);
  } catch {
    parsed = null;
  }
  if (parsed === null) {
    // Error(string) is not in the interface's ABI but ethers knows it.
    try {
      const reason = Interface.from(["error Error(string reason)"]).parseError(data);
      if (reason)
        return { name: "Error", args: { reason: reason.args[0] }, message: String(reason.args[0]) };
    } catch {
      /* not an Error(string) either */
    }
    return undefined;
  }
  return describeDecoded(parsed.name, [...parsed.args]);
}

/**
 * Turns an error thrown by a WorkEscrow call into a decoded custom error, or undefined when the
 * error is not a revert (network down, user rejected the signature, ...).
 */
export function decodeEscrowError(err: unknown): DecodedError | undefined {
  if (err instanceof EscrowError) return err.decoded;
  const data = findRevertData(err);
  return data ? decodeRevertData(data) : undefined;
}

/** Sentences for failures that are not reverts, by ethers v6 error code. */
const FAILURES: Record<string, (e: Record<string, any>) => string> = {
  NONCE_EXPIRED: () =>
    "the transaction's nonce was already used (another transaction from this account got there first): send it again",
  REPLACEMENT_UNDERPRICED: () =>
    "a transaction with the same nonce is pending and this one does not pay more gas to replace it",
  TRANSACTION_REPLACED: (e) =>
    `the transaction was replaced by ${e.replacement?.hash ?? "another one"} (${e.reason ?? "replaced"})`,
  INSUFFICIENT_FUNDS: () => "the account cannot pay for the gas and the value of this transaction",
  ACTION_REJECTED: () => "the wallet's user rejected the request",
  CALL_EXCEPTION: () =>
    "the call reverted without a reason (out of gas, or a contract that gives no error data)",
  NETWORK_ERROR: () => "the network is unreachable",
  TIMEOUT: () => "the node did not answer in time",
  SERVER_ERROR: () => "the node returned a server error",
  BAD_DATA: () => "the node returned data that does not decode (wrong address or network?)",
  UNSUPPORTED_OPERATION: (e) =>
    `the wallet or node does not support this (${e.operation ?? "operation"})`,
};

/**
 * A sentence for any failure: the decoded revert when there is one, else the failure's kind in words
 * (by ethers' error code) with the node's own message.
 */
export function describeFailure(err: unknown): DecodedError {
  const decoded = decodeEscrowError(err);
  if (decoded) return decoded;
  const e = (err ?? {}) as Record<string, any>;
  const own = String(e.shortMessage ?? e.message ?? err);
  let code = typeof e.code === "string" ? e.code : "";
  // Nodes word these differently from what ethers recognises (Hardhat: "Sender doesn't have enough
  // funds", "Nonce too high/low").
  if (/doesn't have enough funds|insufficient funds/i.test(String(e.message ?? "")))
    code = "INSUFFICIENT_FUNDS";
  else if (/nonce (is )?too low|nonce has already been used/i.test(String(e.message ?? "")))
    code = "NONCE_EXPIRED";
  const sentence = FAILURES[code]?.(e);
  const name = code
    ? code.toLowerCase().replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())
    : "Error";
  return {
    name,
    args: { code, reason: own },
    message: sentence ? `${name}: ${sentence} (${own})` : own,
  };
}

/** A sentence for any error: the decoded revert when there is one, else the error's own message. */
export function describeError(err: unknown): string {
  const decoded = decodeEscrowError(err);
  if (decoded) return decoded.message;
  const e = err as { shortMessage?: string; message?: string };
  return e?.shortMessage ?? e?.message ?? String(err);
}

/** `err` as an EscrowError (unchanged if it already is one). */
export function toEscrowError(err: unknown): EscrowError {
  return err instanceof EscrowError ? err : new EscrowError(describeFailure(err), err);
}
