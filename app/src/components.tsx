/** Small pieces every page uses: addresses, amounts, countdowns, and running a transaction. */
import { useEffect, useId, useState, type ReactNode } from "react";
import { toEscrowError } from "work-escrow";
import {
  formatAmount,
  formatCountdown,
  formatDate,
  same,
  shortAddress,
  tokenInfo,
  NATIVE_TOKEN,
  type TokenInfo,
} from "./format";
import { useApp, useBlockNumber } from "./state";
import { trackHashes } from "./wallet";

/** An address, shortened, with "(you)" when it is the connected account. */
export function Address({ address, role }: { address: string; role?: string }) {
  const { wallet } = useApp();
  const you = same(address, wallet.session?.account);
  return (
    <span className="address" title={address}>
      {role ? `${role} ` : ""}
      <code>{shortAddress(address)}</code>
      {you ? " (you)" : ""}
    </span>
  );
}

/**
 * Symbol and decimals of a token (the native coin at once); `error` when they cannot be read, which is
 * tried again at every new block (nothing is guessed: audit L-06).
 */
export function useTokenRead(address: string | undefined): { info?: TokenInfo; error?: string } {
  const { deployment } = useApp();
  const block = useBlockNumber();
  const [state, setState] = useState<{ info?: TokenInfo; error?: string }>(
    address === NATIVE_TOKEN.address ? { info: NATIVE_TOKEN } : {},
  );
  const retryAt = state.error === undefined ? -1 : block;
  useEffect(() => {
    if (!address) return setState({});
    let live = true;
    tokenInfo(deployment.reader, address).then(
      (t) => live && setState({ info: t }),
      (err: unknown) => live && setState({ error: (err as Error).message ?? String(err) }),
    );
    return () => {
      live = false;
    };
  }, [address, deployment.reader, retryAt]);
  return state;
}

/** Symbol and decimals of a token (the native coin at once); undefined while unknown. */
export function useToken(address: string | undefined): TokenInfo | undefined {
  return useTokenRead(address).info;
}

export function Amount({ value, token }: { value: bigint; token: string }) {
  const { info, error } = useTokenRead(token);
  if (info) return <span className="amount">{formatAmount(value, info)}</span>;
  if (error)
    return (
      <span className="amount unknown" title={error}>
        {value.toString()} base units (decimals unknown)
      </span>
    );
  return <span className="amount">{value.toString()}</span>;
}

/**
 * A live countdown to `target` (unix seconds, chain time) as an ARIA timer named `label`:
 * "2d 3h 4m 5s left (ends …)", or "ended … ago" once `now` is past `endsAt` (`target` by default).
 */
export function Countdown({
  label,
  target,
  now,
  inclusive = false,
  total,
  children,
}: {
  label: string;
  target: bigint;
  now: bigint;
  /** the moment itself still counts as before (deadlines): ended only from target + 1 */
  inclusive?: boolean;
  /** the window's length, for a progress bar */
  total?: bigint;
  children?: ReactNode;
}) {
  const id = useId();
  const ended = inclusive ? now > target : now >= target;
  const left = target - now;
  const text = ended
    ? `ended ${formatCountdown(now - target)} ago (${formatDate(target)})`
    : `${formatCountdown(left)} left (ends ${formatDate(target)})`;
  return (
    <div className="timer">
      <span id={id} className="timer-label">
        {label}
      </span>
      <time
        role="timer"
        aria-labelledby={id}
        dateTime={new Date(Number(target) * 1000).toISOString()}
      >
        {text}
      </time>
      {total !== undefined && total > 0n ? (
        <progress
          aria-label={`${label}: time used`}
          max={Number(total)}
          value={Number(ended ? total : total - (left < 0n ? 0n : left))}
        />
      ) : null}
      {children ? <p className="timer-note">{children}</p> : null}
    </div>
  );
}

/** A transaction flow's state, as `TxStatus` shows it. */
export interface TxState {
  phase: "idle" | "wallet" | "pending" | "done" | "failed";
  label: string;
  hashes: string[];
  message?: string;
}

const IDLE: TxState = { phase: "idle", label: "", hashes: [] };

/**
 * Runs wallet actions one at a time for the whole page, tracking the transaction hashes the wallet
 * returns and turning any failure into the SDK's sentence (`toEscrowError`: the decoded custom error
 * of a revert, or what went wrong in words).
 */
export function useTx() {
  const { busy, setBusy } = useApp();
  const [state, setState] = useState<TxState>(IDLE);
  const run = async <T,>(
    label: string,
    work: () => Promise<T>,
    done?: (result: T) => string,
  ): Promise<T | undefined> => {
    if (busy) return undefined;
    setBusy(label);
    setState({ phase: "wallet", label, hashes: [] });
    try {
      const result = await trackHashes(
        (hash) => setState((s) => ({ ...s, phase: "pending", hashes: [...s.hashes, hash] })),
        work,
      );
      setState((s) => ({ ...s, phase: "done", message: done ? done(result) : undefined }));
      return result;
    } catch (err) {
      setState((s) => ({ ...s, phase: "failed", message: toEscrowError(err).message }));
      return undefined;
    } finally {
      setBusy(undefined);
    }
  };
  /** Shows a failure found before anything was sent (input checks). */
  const fail = (label: string, message: string) =>
    setState({ phase: "failed", label, hashes: [], message });
  const reset = () => setState(IDLE);
  return { state, run, fail, reset, busy };
}

/** Pending state, transaction hashes, the outcome or the error sentence of a `useTx` flow. */
export function TxStatus({ state }: { state: TxState }) {
  if (state.phase === "idle") return null;
  const hashes =
    state.hashes.length > 0 ? (
      <ul className="hashes">
        {state.hashes.map((h) => (
          <li key={h}>
            Transaction <code className="hash">{h}</code>
          </li>
        ))}
      </ul>
    ) : null;
  if (state.phase === "failed") {
    return (
      <div role="alert" className="tx tx-failed">
        <p>
          <strong>{state.label} failed:</strong> {state.message}
        </p>
        {hashes}
      </div>
    );
  }
  const text =
    state.phase === "wallet"
      ? `${state.label}: waiting for your wallet…`
      : state.phase === "pending"
        ? `${state.label}: transaction sent, waiting for it to be mined…`
        : `${state.label}: confirmed.${state.message ? ` ${state.message}` : ""}`;
  return (
    <div
      role="status"
      aria-busy={state.phase !== "done"}
      className={`tx ${state.phase === "done" ? "tx-done" : "tx-pending"}`}
    >
      <p>{text}</p>
      {hashes}
    </div>
  );
}

/** What to show instead of a form when the account cannot send. */
export function useSendBlocker(): string | undefined {
  const { wallet } = useApp();
  if (!wallet.available) return "No wallet found: install a browser wallet to send transactions.";
  if (!wallet.session) return "Connect your wallet to act.";
  if (wallet.wrongChain) return "Your wallet is on another network: switch it first.";
  return undefined;
}
