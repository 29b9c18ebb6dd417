/**
 * The deployment the page talks to: `./workescrow.json` (written by app/deployment.ts from the
 * environment or the deployment record), plus a read-only JSON-RPC provider for it.
 */
import { JsonRpcProvider, Network, getAddress } from "ethers";
import { EscrowClient } from "work-escrow";

/** `/workescrow.json` (see app/deployment.ts). */
export interface AppConfig {
  chainId: number | null;
  rpcUrl: string;
  escrow: string | null;
  fund: string | null;
  deploymentBlock: number;
  apiUrl: string | null;
  source: string;
}

/** Everything the pages share: the configuration, a read provider and a read-only client. */
export interface Deployment {
  config: AppConfig;
  chainId: number;
  escrow: string;
  /** reads go to the configured RPC endpoint, whatever the wallet is connected to */
  reader: JsonRpcProvider;
  /** the SDK over the read provider: views, logs, nextActions */
  client: EscrowClient;
  /** the first block of every log scan */
  fromBlock: number;
}

export class ConfigError extends Error {}

export async function loadDeployment(): Promise<Deployment> {
  let config: AppConfig;
  try {
    const res = await fetch("./workescrow.json", { cache: "no-store" });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    config = (await res.json()) as AppConfig;
  } catch (err) {
    throw new ConfigError(
      `could not read workescrow.json next to the page (${(err as Error).message})`,
    );
  }
  if (!config.escrow) {
    throw new ConfigError(
      `no escrow address: ${config.source}. Deploy one (npm run deploy -- --network localhost) ` +
        `or set VITE_WORKESCROW_ADDRESS, then reload.`,
    );
  }
  let chainId = config.chainId;
  if (chainId === null) {
    const probe = new JsonRpcProvider(config.rpcUrl, undefined, { staticNetwork: true });
    try {
      chainId = Number((await probe.getNetwork()).chainId);
    } finally {
      probe.destroy();
    }
  }
  const network = Network.from(chainId);
  const reader = new JsonRpcProvider(config.rpcUrl, network, {
    staticNetwork: network,
    pollingInterval: 1000,
    cacheTimeout: -1,
  });
  const escrow = getAddress(config.escrow);
  if ((await reader.getCode(escrow).catch(() => "0x")) === "0x") {
    reader.destroy();
    throw new ConfigError(
      `no contract at ${escrow} on ${config.rpcUrl} (${config.source}): is the node running, ` +
        `and was it restarted since the deployment? Run npm run deploy -- --network localhost again.`,
    );
  }
  return {
    config,
    chainId,
    escrow,
    reader,
    client: new EscrowClient(escrow, reader),
    fromBlock: config.deploymentBlock,
  };
}
