import { createRequire } from "node:module";
import "dotenv/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";
import type { HardhatPlugin } from "hardhat/types/plugins";
import { escrowTasks, fundTasks } from "./tasks/index.js";
import { apiTasks } from "./tasks/api.js";
import { arbitrationTasks } from "./tasks/arbitration.js";

// solc is taken from the npm package `solc` (solc-js): this machine cannot download compilers
// (TOOLCHAIN.md). Hardhat needs an absolute path to soljson.js.
const require = createRequire(import.meta.url);
const solcPath = require.resolve("solc/soljson.js");
const solcVersion: string = require("solc/package.json").version;

const compiler = {
  version: solcVersion,
  path: solcPath,
  settings: {
    evmVersion: "prague",
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { "*": { "*": ["storageLayout"] } },
  },
};

// Fuzz/invariant depth: a quick profile by default (~1 min), a deeper one (~3 min) when CI=true or
// WORKESCROW_TEST_PROFILE=deep (Hardhat 3.17 only reads the `default` Solidity test profile).
const deep = process.env.WORKESCROW_TEST_PROFILE === "deep" || process.env.CI === "true";

// A remote network is only configured when its RPC URL is present in the environment / .env,
// so a fresh clone without secrets never asks for them.
const remote: Record<string, object> = {};
for (const name of [
  "sepolia",
  "mainnet",
  "base",
  "baseSepolia",
  "arbitrum",
  "optimism",
  "polygon",
]) {
  const envKey = name.replace(/([A-Z])/g, "_$1").toUpperCase();
  if (process.env[`${envKey}_RPC_URL`] !== undefined) {
    remote[name] = {
      type: "http",
      chainType: name === "optimism" || name === "base" || name === "baseSepolia" ? "op" : "l1",
      url: configVariable(`${envKey}_RPC_URL`),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    };
  }
}

/** Writes abi/*.json and abi/index.ts (`as const`) for the package after every build. */
const packageAbis: HardhatPlugin = {
  id: "work-escrow-abi",
  hookHandlers: { solidity: () => import("./scripts/package/abi-hook.js") },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, packageAbis],
  tasks: [...escrowTasks, ...fundTasks, ...arbitrationTasks, ...apiTasks],
  solidity: {
    profiles: {
      default: compiler,
      // Ignition builds with the production profile before every deploy. Isolated builds (one solc
      // run per file, Hardhat's production default) took ~70 s here with solc-js and bought nothing:
      // both profiles use the same compiler settings, and verification works from either build info.
      production: { ...compiler, isolated: false },
    },
  },
  networks: {
    hardhat: { type: "edr-simulated", chainType: "l1", hardfork: "prague" },
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545",
    },
    ...remote,
  },
  paths: { tests: { mocha: "test", solidity: "test/solidity" }, ignition: "deploy" },
  test: {
    mocha: { timeout: 120_000 },
    solidity: {
      fuzz: { runs: deep ? 4096 : 512 },
      invariant: { runs: deep ? 512 : 256, depth: deep ? 128 : 64, failOnRevert: false },
    },
  },
  typechain: { outDir: "typechain-types" },
  // `npx hardhat ignition verify <deployment-id>` (README "Verify the contracts"): Etherscan (V2 API,
  // one key for every chain it covers) and Sourcify. The key is read only when verifying, from the
  // environment or the keystore (`npx hardhat keystore set ETHERSCAN_API_KEY`).
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
    sourcify: { enabled: true },
  },
});
