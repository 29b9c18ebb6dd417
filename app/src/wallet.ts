/**
 * The wallet: any EIP-1193 provider the browser injects as `window.ethereum`. Transactions are sent
 * through it (it signs); reads go to the configured RPC endpoint (config.ts).
 *
 * The provider is wrapped once so that the page sees each transaction hash the moment the wallet
 * returns it (the SDK's calls resolve only once the receipt is mined): `trackHashes` routes them to
 * the action that is running.
 */
import { BrowserProvider, type Eip1193Provider, type JsonRpcSigner } from "ethers";

/** The EIP-1193 events the app listens to. */
export interface InjectedProvider extends Eip1193Provider {
  on?(event: string, listener: (...args: unknown[]) => void): void;
  removeListener?(event: string, listener: (...args: unknown[]) => void): void;
}

declare global {
  interface Window {
    ethereum?: InjectedProvider;
  }
}

export function injectedProvider(): InjectedProvider | undefined {
  return typeof window !== "undefined" ? window.ethereum : undefined;
}

const hashListeners = new Set<(hash: string) => void>();

/**
 * Runs `work` with every transaction hash the wallet returns meanwhile passed to `onHash` (nested
 * calls each get them: a flow and its current step). The page lets a single action run at once (a
 * wallet asks one question at a time anyway), so every hash belongs to the running one.
 */
export async function trackHashes<T>(
  onHash: (hash: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  hashListeners.add(onHash);
  try {
    return await work();
  } finally {
    hashListeners.delete(onHash);
  }
}

const SENDS = new Set(["eth_sendTransaction", "eth_sendRawTransaction"]);

function observed(inner: InjectedProvider): Eip1193Provider {
  return {
    async request(args: { method: string; params?: unknown[] | Record<string, unknown> }) {
      const result = await inner.request(args);
      if (SENDS.has(args.method) && typeof result === "string")
        for (const l of hashListeners) l(result);
      return result;
    },
  };
}

/** A connection to the injected wallet for one account on one chain. */
export interface WalletSession {
  account: string;
  chainId: number;
  provider: BrowserProvider;
  signer: JsonRpcSigner;
}

/** Builds the session for `account` (the wallet's answer to eth_accounts / eth_requestAccounts). */
export async function walletSession(
  inner: InjectedProvider,
  account: string,
): Promise<WalletSession> {
  const provider = new BrowserProvider(observed(inner), "any", { pollingInterval: 1000 });
  const chainId = Number(await inner.request({ method: "eth_chainId", params: [] }));
  return { account, chainId, provider, signer: await provider.getSigner(account) };
}

/** Asks the wallet to switch to `chainId` (EIP-3326). */
export async function switchChain(inner: InjectedProvider, chainId: number): Promise<void> {
  await inner.request({
    method: "wallet_switchEthereumChain",
    params: [{ chainId: `0x${chainId.toString(16)}` }],
  });
}
