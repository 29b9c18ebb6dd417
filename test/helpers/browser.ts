/**
 * Plumbing for the browser tests (test/browser/): a `hardhat node` on a free 127.0.0.1 port, the
 * WorkEscrow suite deployed on it, the app built once with `vite build` and served by `vite preview`
 * (127.0.0.1), Debian's Chromium driven by playwright-core, and an EIP-1193 wallet injected into
 * each page before it loads: it signs with a test key in this process and forwards everything else
 * to the node over JSON-RPC, as a browser wallet would.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { HDNodeWallet, JsonRpcProvider, type TypedDataField } from "ethers";
import type { BrowserContext } from "playwright-core";
import {
  CommunityFund__factory,
  WorkEscrowExtension__factory,
  WorkEscrowForwarder__factory,
  WorkEscrow__factory,
} from "../../typechain-types/index.js";
import { httpAnswers, startServer, type Server } from "./servers.js";

export { freePort, startHardhatNode, type Server } from "./servers.js";

const require = createRequire(import.meta.url);
export const ROOT = path.join(path.dirname(require.resolve("hardhat/package.json")), "..", "..");
const VITE = path.join(path.dirname(require.resolve("vite/package.json")), "bin", "vite.js");
export const MNEMONIC = "test test test test test test test test test test test junk";

/**
 * Chromium from Debian, or CHROMIUM_PATH when set (only that one: a path that does not exist means
 * "no Chromium"); undefined when it is not installed.
 */
export function chromiumPath(): string | undefined {
  const env = process.env.CHROMIUM_PATH;
  const candidates = env ? [env] : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p) => existsSync(p));
}

/** The flags this machine's Chromium needs (closed network, running as root, no GPU). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The output of a command run to its end (`vite build`, `tsc`); rejects when it fails. */
async function run(args: string[], what: string): Promise<string> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => {
    child.once("error", (err) => {
      out += `${err.message}\n`;
      resolve(null);
    });
    child.once("close", resolve);
  });
  if (code !== 0) throw new Error(`${what} failed (${code}):\n${stripVTControlCharacters(out)}`);
  return stripVTControlCharacters(out);
}

/**
 * `vite build` of app/ (into app/dist); resolves with its output, rejects on failure. The app imports
 * the built package (dist/, as `npm test`'s package check leaves it): built first when missing.
 */
export async function buildApp(): Promise<string> {
  if (!existsSync(path.join(ROOT, "dist", "sdk", "index.js"))) {
    const tsc = path.join(path.dirname(require.resolve("typescript/package.json")), "bin", "tsc");
    await run([tsc, "-p", "tsconfig.build.json"], "building the package (dist/)");
  }
  return run([VITE, "build", "--config", "app/vite.config.ts"], "vite build");
}

/**
 * `vite preview` of app/dist on 127.0.0.1:`port`, configured by `env` (app/deployment.ts); ready once
 * it serves the page.
 */
export function startPreview(port: number, env: Record<string, string>): Promise<Server> {
  return startServer({
    name: "vite preview",
    command: process.execPath,
    args: [
      VITE,
      "preview",
      "--config",
      "app/vite.config.ts",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--strictPort",
    ],
    env: { ...process.env, ...env },
    ready: () => httpAnswers(`http://127.0.0.1:${port}/`),
    timeoutMs: 60_000,
    port,
  });
}

/** Hardhat node's well-known account `i` (the mnemonic above). */
export function account(i: number, provider?: JsonRpcProvider): HDNodeWallet {
  const w = HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`);
  return provider ? w.connect(provider) : w;
}

export interface Suite {
  escrow: string;
  fund: string;
  forwarder: string;
  deploymentBlock: number;
}

/**
 * The suite `npm run deploy -- --network localhost` deploys (deploy/modules/*.ts with
 * deploy/parameters/localhost.json), deployed directly with the typechain factories: the same
 * contracts and settings in seconds, without Ignition's production build.
 */
export async function deploySuite(rpc: JsonRpcProvider): Promise<Suite> {
  const params = JSON.parse(
    readFileSync(path.join(ROOT, "deploy", "parameters", "localhost.json"), "utf8"),
  ) as { CommunityFund: Record<string, any>; WorkEscrow: Record<string, any> };
  const deployer = account(0, rpc);
  let nonce = await rpc.getTransactionCount(deployer.address, "pending");
  const f = params.CommunityFund;
  const fund = await new CommunityFund__factory(deployer).deploy(
    {
      admin: f.admin,
      guardian: f.guardian,
      minInterval: f.minInterval,
      challengeDelay: f.challengeDelay,
      claimPeriod: f.claimPeriod,
      thresholds: f.thresholds,
    },
    { nonce: nonce++ },
  );
  const forwarder = await new WorkEscrowForwarder__factory(deployer).deploy({ nonce: nonce++ });
  const w = params.WorkEscrow;
  const extension = await new WorkEscrowExtension__factory(deployer).deploy(
    await forwarder.getAddress(),
    w.identityRegistry,
    { nonce: nonce++ },
  );
  const escrow = await new WorkEscrow__factory(deployer).deploy(
    {
      admin: w.admin,
      treasury: w.treasury,
      communityFund: await fund.getAddress(),
      platformFeeBps: w.platformFeeBps,
      communityFeeBps: w.communityFeeBps,
      arbitrationFeeBps: w.arbitrationFeeBps,
      arbitrators: w.arbitrators,
      minAmounts: w.minAmounts,
    },
    await extension.getAddress(),
    { nonce: nonce++ },
  );
  const receipt = await escrow.deploymentTransaction()!.wait();
  return {
    escrow: await escrow.getAddress(),
    fund: await fund.getAddress(),
    forwarder: await forwarder.getAddress(),
    deploymentBlock: receipt!.blockNumber,
  };
}

/* ------------------------------------------------------------------------- the test wallet */

type RpcAnswer = { result?: unknown; error?: { code: number; message: string; data?: unknown } };

/** Sends one raw JSON-RPC request to the node; node errors come back as they are (code, message, data). */
async function forward(url: string, method: string, params: unknown[]): Promise<RpcAnswer> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as RpcAnswer;
  return body.error ? { error: body.error } : { result: body.result };
}

/** The page side of the wallet: `window.ethereum`, calling the binding below. */
const WALLET_SHIM = `(() => {
  const listeners = {};
  window.ethereum = {
    isWorkEscrowTestWallet: true,
    async request({ method, params }) {
      const answer = await window.__workescrowTestWallet(method, params ?? []);
      if (answer.error) {
        const err = new Error(answer.error.message);
        err.code = answer.error.code;
        err.data = answer.error.data;
        throw err;
      }
      return answer.result;
    },
    on(event, fn) { (listeners[event] ??= []).push(fn); },
    removeListener(event, fn) { listeners[event] = (listeners[event] ?? []).filter((f) => f !== fn); },
  };
})();`;

/**
 * Gives every page of `context` a wallet holding account `index`: it answers eth_accounts (empty
 * until a page called eth_requestAccounts, as a wallet the user has not connected yet), signs eth_sendTransaction and eth_signTypedData_v4 with the
 * account's key here (sent raw to the node), and forwards every other request to the node.
 */
export async function installWallet(context: BrowserContext, rpcUrl: string, index: number) {
  const provider = new JsonRpcProvider(rpcUrl, undefined, {
    cacheTimeout: -1,
    staticNetwork: true,
  });
  const wallet = account(index, provider);
  let queue: Promise<unknown> = Promise.resolve();
  let connected = false; // as a real wallet: no account for a page until it asks to connect
  const handle = async (method: string, params: any[]): Promise<RpcAnswer> => {
    switch (method) {
      case "eth_accounts":
        return { result: connected ? [wallet.address] : [] };
      case "eth_requestAccounts":
        connected = true;
        return { result: [wallet.address] };
      case "wallet_switchEthereumChain": {
        const chainId = (await forward(rpcUrl, "eth_chainId", [])).result;
        return BigInt(params[0]?.chainId) === BigInt(chainId as string)
          ? { result: null }
          : { error: { code: 4902, message: "unknown chain" } };
      }
      case "eth_sendTransaction": {
        const tx = params[0] as Record<string, string>;
        if (tx.from && tx.from.toLowerCase() !== wallet.address.toLowerCase())
          return {
            error: { code: 4100, message: `this wallet holds ${wallet.address}, not ${tx.from}` },
          };
        // One at a time, each with the node's pending nonce (the node mines every transaction at once).
        const send = queue.then(async () => {
          const nonce = await provider.getTransactionCount(wallet.address, "pending");
          const sent = await wallet.sendTransaction({
            to: tx.to,
            data: tx.data,
            value: tx.value ? BigInt(tx.value) : 0n,
            gasLimit: tx.gas ? BigInt(tx.gas) : undefined,
            nonce,
          });
          return sent.hash;
        });
        queue = send.catch(() => undefined);
        try {
          return { result: await send };
        } catch (err) {
          const e = err as { info?: { error?: RpcAnswer["error"] }; message: string };
          return { error: e.info?.error ?? { code: -32603, message: e.message } };
        }
      }
      case "eth_signTypedData_v4": {
        const typed = JSON.parse(params[1]) as {
          domain: Record<string, unknown>;
          types: Record<string, TypedDataField[]>;
          message: Record<string, unknown>;
        };
        const { EIP712Domain: _, ...types } = typed.types;
        return { result: await wallet.signTypedData(typed.domain, types, typed.message) };
      }
      case "personal_sign":
        return { result: await wallet.signMessage(params[0]) };
      default:
        return forward(rpcUrl, method, params);
    }
  };
  await context.exposeBinding("__workescrowTestWallet", (_source, method: string, params: any[]) =>
    handle(method, params),
  );
  await context.addInitScript(WALLET_SHIM);
  return { address: wallet.address, close: () => provider.destroy() };
}
