/**
 * What every page shares: the deployment, the wallet session, and the chain's clock.
 *
 * The clock: pages show countdowns and the SDK's `nextActions` in chain time, not the computer's.
 * The latest block is polled every second; when a new block arrives, its timestamp minus the
 * computer's time is the node's clock offset (a local node moved by `evm_increaseTime`, or a chain
 * whose blocks lag). Between blocks, chain time = computer time + offset (never before the latest
 * block). Every new block also makes the pages reload what they show.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
import { EscrowClient } from "work-escrow";
import type { Deployment } from "./config";
import {
  injectedProvider,
  switchChain as askSwitch,
  walletSession,
  type WalletSession,
} from "./wallet";

/* ------------------------------------------------------------------------------- chain clock */

export class ChainClock {
  blockNumber = -1;
  blockTime = 0n;
  #offset = 0;
  #listeners = new Set<() => void>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  constructor(private readonly deployment: Deployment) {}

  start(pollMs = 1000) {
    const generation = ++this.#generation;
    const poll = async () => {
      try {
        const block = await this.deployment.reader.getBlock("latest");
        if (generation !== this.#generation) return;
        if (block && block.number !== this.blockNumber) {
          const wall = Date.now() / 1000;
          const first = this.blockNumber === -1;
          // A block seen as it arrives tells the node's clock; the first one may be old (an idle chain).
          this.#offset = first ? Math.max(0, block.timestamp - wall) : block.timestamp - wall;
          this.blockNumber = block.number;
          this.blockTime = BigInt(block.timestamp);
          this.#emit();
        }
      } catch {
        /* node unreachable for a moment: keep the last reading */
      }
      if (generation === this.#generation) this.#timer = setTimeout(poll, pollMs);
    };
    void poll();
  }

  stop() {
    this.#generation++;
    if (this.#timer) clearTimeout(this.#timer);
  }

  /** Chain time now, in unix seconds. */
  now(): bigint {
    const estimate = BigInt(Math.floor(Date.now() / 1000 + this.#offset));
    return estimate > this.blockTime ? estimate : this.blockTime;
  }

  subscribe = (listener: () => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #emit() {
    for (const l of this.#listeners) l();
  }
}

/* ---------------------------------------------------------------------------------- wallet */

export interface WalletState {
  /** an EIP-1193 provider is injected */
  available: boolean;
  session?: WalletSession;
  /** the SDK acting as the connected account (undefined until connected) */
  client?: EscrowClient;
  /** the wallet is on another chain than the escrow */
  wrongChain: boolean;
  connecting: boolean;
  error?: string;
  connect(): Promise<void>;
  switchChain(): Promise<void>;
}

interface AppState {
  deployment: Deployment;
  clock: ChainClock;
  wallet: WalletState;
  /** one action at a time: the label of the running one */
  busy?: string;
  setBusy(label: string | undefined): void;
}

const AppContext = createContext<AppState | undefined>(undefined);

export function AppProvider({
  deployment,
  children,
}: {
  deployment: Deployment;
  children: ReactNode;
}) {
  const clock = useMemo(() => new ChainClock(deployment), [deployment]);
  useEffect(() => {
    clock.start();
    return () => clock.stop();
  }, [clock]);
  const wallet = useWallet(deployment);
  const [busy, setBusy] = useState<string | undefined>();
  const value = useMemo(
    () => ({ deployment, clock, wallet, busy, setBusy }),
    [deployment, clock, wallet, busy],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

function useWallet(deployment: Deployment): WalletState {
  const injected = injectedProvider();
  const [session, setSession] = useState<WalletSession>();
  const [connecting, setConnecting] = useState(false);
  const [error, setError] = useState<string>();

  const adopt = useCallback(
    async (accounts: unknown) => {
      if (!injected) return;
      const list = Array.isArray(accounts) ? (accounts as string[]) : [];
      setSession(list.length > 0 ? await walletSession(injected, list[0]) : undefined);
    },
    [injected],
  );

  // Reconnect silently when the wallet already trusts the page; follow account and chain changes.
  useEffect(() => {
    if (!injected) return;
    let live = true;
    injected
      .request({ method: "eth_accounts", params: [] })
      .then((a) => {
        if (live) void adopt(a);
      })
      .catch(() => undefined);
    const onAccounts = (a: unknown) => void adopt(a);
    const onChain = () =>
      void injected
        .request({ method: "eth_accounts", params: [] })
        .then(adopt)
        .catch(() => undefined);
    injected.on?.("accountsChanged", onAccounts);
    injected.on?.("chainChanged", onChain);
    return () => {
      live = false;
      injected.removeListener?.("accountsChanged", onAccounts);
      injected.removeListener?.("chainChanged", onChain);
    };
  }, [injected, adopt]);

  const connect = useCallback(async () => {
    if (!injected) return;
    setConnecting(true);
    setError(undefined);
    try {
      await adopt(await injected.request({ method: "eth_requestAccounts", params: [] }));
    } catch (err) {
      setError(`the wallet did not connect: ${(err as Error).message}`);
    } finally {
      setConnecting(false);
    }
  }, [injected, adopt]);

  const switchChain = useCallback(async () => {
    if (!injected) return;
    try {
      await askSwitch(injected, deployment.chainId);
    } catch (err) {
      setError(`the wallet did not switch: ${(err as Error).message}`);
    }
  }, [injected, deployment.chainId]);

  return useMemo(() => {
    const wrongChain = session !== undefined && session.chainId !== deployment.chainId;
    return {
      available: injected !== undefined,
      session,
      client:
        session && !wrongChain ? new EscrowClient(deployment.escrow, session.signer) : undefined,
      wrongChain,
      connecting,
      error,
      connect,
      switchChain,
    };
  }, [injected, session, deployment, connecting, error, connect, switchChain]);
}

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (!app) throw new Error("useApp outside AppProvider");
  return app;
}

/** The latest block number (re-renders on each new block). */
export function useBlockNumber(): number {
  const { clock } = useApp();
  return useSyncExternalStore(clock.subscribe, () => clock.blockNumber);
}

/** Chain time in unix seconds, re-rendered every second. */
export function useChainNow(): bigint {
  const { clock } = useApp();
  useBlockNumber();
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  return clock.now();
}

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload(): void;
}

/**
 * `load()` now, again on every new block and whenever `deps` change; the last data stays shown
 * while it reloads (no flicker), and a failure keeps it too.
 */
export function useChainData<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const block = useBlockNumber();
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({
    loading: true,
  });
  const [nonce, setNonce] = useState(0);
  const generation = useRef(0);
  const depsKey = JSON.stringify(deps, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  const lastKey = useRef(depsKey);
  useEffect(() => {
    if (block < 0) return; // wait for the first block: it sets the clock
    const mine = ++generation.current;
    // Other deps: what is shown belongs to something else, so drop it.
    const changed = lastKey.current !== depsKey;
    lastKey.current = depsKey;
    setState((s) => (changed ? { loading: true } : { ...s, loading: true }));
    load().then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (err) =>
        mine === generation.current &&
        setState((s) => ({ ...s, error: describe(err), loading: false })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [block, depsKey, nonce]);
  return { ...state, reload: () => setNonce((n) => n + 1) };
}

function describe(err: unknown): string {
  const e = err as { shortMessage?: string; message?: string };
  return e?.shortMessage ?? e?.message ?? String(err);
}
