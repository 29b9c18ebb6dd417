import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type {
  AppealableArbitrator,
  CommitteeArbitrator,
  ERC792ArbitratorAdapter,
  IWorkEscrow,
  MockERC20,
} from "../../typechain-types/index.js";
import { deployWorkEscrowSuite } from "../../scripts/lib/deploy.js";
import { NO_OPTIONS } from "../../sdk/checks.js";
import { DAY, ONE_ETH, createJobTx, depositOf, type ParamsInput } from "./escrow.js";

/** The committee is registered with a 3-day arbitration period, the court adapter with a 30-day one. */
export const COMMITTEE_PERIOD = 3n * DAY;
export const COURT_PERIOD = 30n * DAY;
/** The mock court: what a dispute costs, and how long a ruling stays appealable. */
export const COURT_COST = ONE_ETH / 20n;
export const APPEAL_WINDOW = 3n * DAY;
/**
 * The adapter's `minAppealTime`: appeals close this long before the job's arbitration period ends. The mock
 * court rules at once when the judge says so, so its round is its 3-day appeal window; one day more is the
 * margin to execute the ruling.
 */
export const MIN_APPEAL_TIME = APPEAL_WINDOW + DAY;
export const META_EVIDENCE = "ipfs://QmMetaEvidence/workescrow.json";
/** ERC-792 rulings of the adapter (NUMBER_OF_CHOICES = 2). */
export const Ruling = { Refused: 0n, Provider: 1n, Requester: 2n } as const;

export interface ArbitrationFixture {
  ethers: HardhatEthers;
  escrow: IWorkEscrow;
  committee: CommitteeArbitrator;
  adapter: ERC792ArbitratorAdapter;
  court: AppealableArbitrator;
  token: MockERC20;
  admin: HardhatEthersSigner;
  requester: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  /** the committee's first members (epoch 1), quorum 3 */
  members: HardhatEthersSigner[];
  /** accounts that are not members at first (used for membership changes) */
  outsiders: HardhatEthersSigner[];
  stranger: HardhatEthersSigner;
  /** the court's owner (it gives the rulings) */
  judge: HardhatEthersSigner;
}

/**
 * Fixture functions bound to one connection (call once per test file: `loadFixture` caches on the
 * function). The escrow runs with the default fees (platform 1%, community 0.5%, arbitration 2%).
 */
export function arbitrationFixtures({
  ethers,
  networkHelpers,
}: {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
}) {
  async function deploy(): Promise<ArbitrationFixture> {
    const s = await ethers.getSigners();
    const [admin, treasury, community, arbitrator, requester, provider, stranger, judge] = s;
    const members = s.slice(8, 13);
    const outsiders = s.slice(13, 17);
    const { escrow } = await deployWorkEscrowSuite(ethers, {
      admin: admin.address,
      treasury: treasury.address,
      community: community.address,
      arbitrator: arbitrator.address,
    });
    const committee = (await ethers.deployContract("CommitteeArbitrator", [
      await escrow.getAddress(),
      admin.address,
      members.map((m) => m.address),
      3,
    ])) as unknown as CommitteeArbitrator;
    const court = (await ethers.deployContract(
      "AppealableArbitrator",
      [COURT_COST, APPEAL_WINDOW],
      judge,
    )) as unknown as AppealableArbitrator;
    const adapter = (await ethers.deployContract("ERC792ArbitratorAdapter", [
      await escrow.getAddress(),
      await court.getAddress(),
      "0x",
      META_EVIDENCE,
      MIN_APPEAL_TIME,
    ])) as unknown as ERC792ArbitratorAdapter;
    await escrow.connect(admin).setArbitrator(await committee.getAddress(), true, COMMITTEE_PERIOD);
    await escrow.connect(admin).setArbitrator(await adapter.getAddress(), true, COURT_PERIOD);
    const token = (await ethers.deployContract("MockERC20", [
      "Mock Dollar",
      "MUSD",
      18,
    ])) as unknown as MockERC20;
    await token.mint(requester.address, 10n ** 30n);
    await token.connect(requester).approve(await escrow.getAddress(), ethers.MaxUint256);
    return {
      ethers,
      escrow,
      committee,
      adapter,
      court,
      token,
      admin,
      requester,
      provider,
      members,
      outsiders,
      stranger,
      judge,
    };
  }

  /**
   * Creates, accepts, submits and disputes a job naming `arbitrator`; returns its id. The requester
   * disputes (posting the deposit) unless `disputer` says otherwise; `beforeDispute` runs between the
   * submission and the dispute (an approval, a verdict).
   */
  async function disputeJob(
    f: ArbitrationFixture,
    arbitrator: string,
    overrides: ParamsInput = {},
    who: {
      requester?: HardhatEthersSigner;
      provider?: HardhatEthersSigner;
      disputer?: "requester" | "provider";
      beforeDispute?: (jobId: bigint) => Promise<unknown>;
    } = {},
  ): Promise<bigint> {
    const requester = who.requester ?? f.requester;
    const provider = who.provider ?? f.provider;
    const now = BigInt(await networkHelpers.time.latest());
    const p = {
      provider: provider.address,
      token: ethers.ZeroAddress,
      amount: ONE_ETH,
      deadline: now + DAY,
      reviewPeriod: 2n * DAY,
      jobType: 0,
      jobHash: ethers.id("job spec"),
      arbitrator,
      approvers: [] as string[],
      threshold: 0,
      ...NO_OPTIONS,
      ...overrides,
    };
    const native = p.token === ethers.ZeroAddress;
    await createJobTx(f.escrow, requester, p);
    const id = await f.escrow.jobCount();
    await f.escrow.connect(provider).acceptJob(id);
    await f.escrow.connect(provider).submitWork(id, ethers.id("result"));
    if (who.beforeDispute) await who.beforeDispute(id);
    const disputer = who.disputer === "provider" ? provider : requester;
    if (!native) {
      const token = await ethers.getContractAt("MockERC20", p.token as string);
      await token.mint(disputer.address, await depositOf(f.escrow, id));
      await token.connect(disputer).approve(await f.escrow.getAddress(), ethers.MaxUint256);
    }
    await f.escrow.connect(disputer).raiseDispute(id, "not what was asked", {
      value: native ? await depositOf(f.escrow, id) : 0n,
    });
    return id;
  }

  async function committeeDispute() {
    const f = await deploy();
    return { ...f, jobId: await disputeJob(f, await f.committee.getAddress()) };
  }

  async function courtDispute() {
    const f = await deploy();
    return { ...f, jobId: await disputeJob(f, await f.adapter.getAddress()) };
  }

  /** A court dispute funded in full by the requester (court dispute id 0). */
  async function courtCase() {
    const f = await courtDispute();
    await f.adapter.connect(f.requester).fundCourt(f.jobId, { value: COURT_COST });
    return { ...f, disputeId: 0n };
  }

  return { deploy, disputeJob, committeeDispute, courtDispute, courtCase };
}

/** The `disputedAt + arbitrationPeriod` edge of a job. */
export async function arbitrationEnd(escrow: IWorkEscrow, jobId: bigint): Promise<bigint> {
  const job = await escrow.getJob(jobId);
  return job.disputedAt + job.arbitrationPeriod;
}
