/**
 * What every section of the demo (`npm run demo`) gets: the deployment, named signers, SDK clients and
 * a printer. A section is one module under scripts/demo/ exporting `async function demoX(ctx)`; the
 * tour in scripts/demo.ts calls each in turn, so a new section is one import and one call.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type {
  CommunityFund,
  IWorkEscrow,
  WorkEscrow,
  WorkEscrowForwarder,
} from "../../typechain-types/index.js";
import {
  EscrowClient,
  NATIVE,
  Status,
  hashContent,
  type CreateJobInput,
  type TxResult,
} from "../../sdk/index.js";

export const HOUR = 3600n;
export const DAY = 24n * HOUR;

/** The demo's cast: one signer per role, named in the printed lines. */
export interface DemoSigners {
  admin: HardhatEthersSigner;
  treasury: HardhatEthersSigner;
  /** the community fund's guardian */
  guardian: HardhatEthersSigner;
  /** the arbitrator registered at deployment (default 7-day arbitration period) */
  arbitrator: HardhatEthersSigner;
  requester: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  approverA: HardhatEthersSigner;
  approverB: HardhatEthersSigner;
  approverC: HardhatEthersSigner;
  /** a keeper bot: finalises jobs permissionlessly and earns their tips */
  keeper: HardhatEthersSigner;
  gpuProvider: HardhatEthersSigner;
  /** free for a verifier (an address, or an adapter's operator) */
  verifier: HardhatEthersSigner;
  /** free for a bidder */
  bidder: HardhatEthersSigner;
  /** the remaining accounts, unnamed, for sections that need more */
  spare: HardhatEthersSigner[];
}

export interface DemoContext {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
  /** the escrow's whole surface (core + extension) at the core's address, connected to the admin */
  escrow: IWorkEscrow;
  /** the same address typed as the core contract (for its events, e.g. the round builder) */
  core: WorkEscrow;
  address: string;
  /** the ERC-2771 forwarder the escrow trusts */
  forwarder: WorkEscrowForwarder;
  extension: string;
  fund: CommunityFund;
  signers: DemoSigners;
  /** an EscrowClient acting as the admin */
  client: EscrowClient;
  /** an EscrowClient acting as `signer`, as each actor would hold in their own dapp */
  as(signer: HardhatEthersSigner): EscrowClient;
  /** prints a line */
  log(line?: string): void;
  /** prints a section heading */
  section(title: string): void;
  /** gives an address a name in the printed lines */
  name(address: string, as?: string): string;
  /** formats native-coin wei as ETH */
  eth(wei: bigint): string;
  /** the job's status, in words */
  status(jobId: bigint): Promise<string>;
  /**
   * Creates and funds a job as the requester (defaults: 1 ETH to the provider, 1-day deadline, 2-day
   * review, the arbitrator) and prints its heading; returns the job id.
   */
  createJob(title: string, overrides?: Partial<CreateJobInput>): Promise<bigint>;
  /** Awaits a call and prints it with its gas and the job's status after it. */
  step(label: string, call: Promise<TxResult>, jobId: bigint): Promise<TxResult>;
  /** Prints where the money of a transaction went (payouts, fees, bond, deposit, tip), from its events. */
  money(r: TxResult): void;
  /** jobs created so far */
  jobs: bigint[];
}

/** Builds the context from a deployment; `names` seeds the address book. */
export function makeDemoContext(d: {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
  escrow: IWorkEscrow;
  core: WorkEscrow;
  address: string;
  forwarder: WorkEscrowForwarder;
  extension: string;
  fund: CommunityFund;
  signers: DemoSigners;
}): DemoContext {
  const names = new Map<string, string>();
  const s = d.signers;
  for (const [key, signer] of Object.entries(s)) {
    if (Array.isArray(signer)) continue;
    names.set(signer.address.toLowerCase(), key.replace(/([A-Z])/g, " $1").toLowerCase());
  }
  names.set(s.keeper.address.toLowerCase(), "keeper bot");
  names.set(s.gpuProvider.address.toLowerCase(), "GPU provider");
  const name = (address: string, as?: string) => {
    if (as) names.set(address.toLowerCase(), as);
    return names.get(address.toLowerCase()) ?? address;
  };
  const eth = (wei: bigint) => `${d.ethers.formatEther(wei)} ETH`;
  const log = (line = "") => console.log(line);
  const as = (signer: HardhatEthersSigner) => new EscrowClient(d.address, signer);
  const client = as(s.admin);
  const status = async (jobId: bigint) => Status[(await client.getJob(jobId)).status];
  const jobs: bigint[] = [];

  const ctx: DemoContext = {
    ...d,
    client,
    as,
    log,
    section: (title) => log(`## ${title}`),
    name,
    eth,
    status,
    jobs,
    async createJob(title, overrides = {}) {
      const now = BigInt(await d.networkHelpers.time.latest());
      const input: CreateJobInput = {
        provider: s.provider.address,
        amount: d.ethers.parseEther("1"),
        deadline: now + DAY,
        reviewPeriod: 2n * DAY,
        jobHash: hashContent(`spec: ${title}`),
        arbitrator: s.arbitrator.address,
        ...overrides,
      };
      const { jobId, receipt } = await as(s.requester).createJob(input);
      jobs.push(jobId);
      log(`## Job ${jobId}: ${title}`);
      const extras = [
        input.providerBond ? `bond ${eth(input.providerBond)}` : "",
        input.keeperTip ? `keeper tip ${eth(input.keeperTip)}` : "",
      ].filter(Boolean);
      log(
        `  requester locks ${eth(input.amount)}${extras.length ? ` (${extras.join(", ")})` : ""}` +
          `  (createJob, ${receipt.gasUsed} gas) → ${await status(jobId)}`,
      );
      return jobId;
    },
    async step(label, call, jobId) {
      const r = await call;
      log(`  ${label.padEnd(56)} (${r.receipt.gasUsed} gas) → ${await status(jobId)}`);
      return r;
    },
    money(r) {
      const parts: string[] = [];
      for (const e of r.events) {
        const a = e.args;
        switch (e.name) {
          case "JobReleased":
            parts.push(
              `${eth(a.providerAmount)} to the ${name(a.provider)}, fees ${eth(a.platformFee + a.communityFee)} credited`,
            );
            break;
          case "JobPartiallyReleased":
            parts.push(
              `${eth(a.providerAmount)} to the ${name(a.provider)} now, ${eth(a.remaining)} left in escrow`,
            );
            break;
          case "JobRefunded":
            parts.push(`${eth(a.amount)} back to the ${name(a.requester)}`);
            break;
          case "DisputeResolved":
            parts.push(
              `${eth(a.providerAmount)} to the provider, ${eth(a.requesterAmount)} to the requester` +
                (a.arbitrationFee > 0n
                  ? `, arbitration fee ${eth(a.arbitrationFee)} credited`
                  : ""),
            );
            break;
          case "BondSettled":
            parts.push(
              `bond: ${eth(a.toProvider)} back to the provider, ${eth(a.toRequester)} to the requester`,
            );
            break;
          case "DisputeDepositSettled":
            parts.push(`dispute deposit ${eth(a.amount)} to the ${name(a.to)}`);
            break;
          case "KeeperTipPaid":
            parts.push(`keeper tip ${eth(a.amount)} to the ${name(a.to)}`);
            break;
          case "WorkVerified":
            parts.push(`verifier fee ${eth(a.fee)} credited`);
            break;
        }
      }
      if (parts.length > 0) log(`    ${parts.join("; ")}`);
    },
  };
  return ctx;
}

export { NATIVE };
