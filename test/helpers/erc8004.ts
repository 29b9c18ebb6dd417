import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type {
  ERC8004ValidationAdapter,
  IWorkEscrow,
  MockERC20,
  MockIdentityRegistry,
  MockValidationRegistry,
} from "../../typechain-types/index.js";
import { deployWorkEscrowSuite } from "../../scripts/lib/deploy.js";
import {
  DAY,
  ONE_ETH,
  createJobTx,
  type Conn,
  type JobParams,
  type ParamsInput,
} from "./escrow.js";

/**
 * A deployment for agent jobs: the ERC-8004 Identity and Validation registries (the test doubles of
 * contracts/mocks, which follow the ERC's reference), an escrow whose Identity Registry is that one, and an
 * ERC8004ValidationAdapter reading that Validation Registry. The provider owns agent 0, `other` agent 1.
 */
export interface AgentFixture {
  escrow: IWorkEscrow;
  identity: MockIdentityRegistry;
  validation: MockValidationRegistry;
  adapter: ERC8004ValidationAdapter;
  token: MockERC20;
  admin: HardhatEthersSigner;
  treasury: HardhatEthersSigner;
  community: HardhatEthersSigner;
  arbitrator: HardhatEthersSigner;
  requester: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  validator: HardhatEthersSigner;
  /** another ERC-8004 validator, not named by the jobs' terms */
  otherValidator: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  /** owns agent 1 */
  other: HardhatEthersSigner;
  approver: HardhatEthersSigner;
  /** the provider's agent id (0: ids start at 0) */
  agentId: bigint;
  otherAgentId: bigint;
}

export interface AgentJob {
  id: bigint;
  params: JobParams;
}

/** The default score threshold of the fixtures' jobs. */
export const MIN_SCORE = 80;
export const RESULT = "0x" + "ab".repeat(32);

/** Fixture functions bound to one connection (call once per file: loadFixture keys on identity). */
export function agentFixtures({ ethers, networkHelpers }: Conn) {
  async function deployAgentEscrow(): Promise<AgentFixture> {
    const [
      admin,
      treasury,
      community,
      arbitrator,
      requester,
      provider,
      validator,
      otherValidator,
      stranger,
      other,
      approver,
    ] = await ethers.getSigners();
    const identity = (await ethers.deployContract(
      "MockIdentityRegistry",
    )) as unknown as MockIdentityRegistry;
    const validation = (await ethers.deployContract("MockValidationRegistry", [
      await identity.getAddress(),
    ])) as unknown as MockValidationRegistry;
    const { escrow } = await deployWorkEscrowSuite(ethers, {
      admin: admin.address,
      treasury: treasury.address,
      community: community.address,
      arbitrator: arbitrator.address,
      identityRegistry: await identity.getAddress(),
    });
    const adapter = (await ethers.deployContract("ERC8004ValidationAdapter", [
      await validation.getAddress(),
    ])) as unknown as ERC8004ValidationAdapter;
    await identity.connect(provider)["register(string)"]("ipfs://provider-agent");
    await identity.connect(other)["register(string)"]("ipfs://other-agent");
    const token = (await ethers.deployContract("MockERC20", [
      "Mock Dollar",
      "MUSD",
      18,
    ])) as unknown as MockERC20;
    await token.mint(requester.address, 10n ** 30n);
    await token.connect(requester).approve(await escrow.getAddress(), ethers.MaxUint256);
    return {
      escrow,
      identity,
      validation,
      adapter,
      token,
      admin,
      treasury,
      community,
      arbitrator,
      requester,
      provider,
      validator,
      otherValidator,
      stranger,
      other,
      approver,
      agentId: 0n,
      otherAgentId: 1n,
    };
  }

  /** Job parameters of an agent job verified by the adapter (every field overridable). */
  async function agentParams(f: AgentFixture, overrides: ParamsInput = {}): Promise<JobParams> {
    const now = BigInt(await networkHelpers.time.latest());
    return {
      provider: f.provider.address,
      token: ethers.ZeroAddress,
      amount: ONE_ETH,
      deadline: now + DAY,
      reviewPeriod: 2n * DAY,
      jobType: 2,
      jobHash: ethers.id("agent job spec"),
      arbitrator: f.arbitrator.address,
      approvers: [],
      threshold: 0,
      providerBond: 0n,
      keeperTip: 0n,
      verifier: await f.adapter.getAddress(),
      verifierFeeBps: 100,
      bidsOnly: false,
      agentRequired: true,
      agentId: f.agentId,
      ...overrides,
    };
  }

  async function createAgentJob(f: AgentFixture, overrides: ParamsInput = {}): Promise<AgentJob> {
    const params = await agentParams(f, overrides);
    await createJobTx(f.escrow, f.requester, params);
    return { id: await f.escrow.jobCount(), params };
  }

  /** The requester fixes the adapter's terms: `f.validator`, MIN_SCORE, no tag unless given. */
  async function configure(f: AgentFixture, jobId: bigint, tag = "", minScore = MIN_SCORE) {
    return f.adapter
      .connect(f.requester)
      .configure(await f.escrow.getAddress(), jobId, f.validator.address, minScore, tag);
  }

  /** The request hash of a job's result, computed independently of the contract. */
  async function requestHashOf(f: AgentFixture, jobId: bigint, resultHash = RESULT) {
    return ethers.keccak256(
      ethers.AbiCoder.defaultAbiCoder().encode(
        ["address", "uint256", "bytes32"],
        [await f.escrow.getAddress(), jobId, resultHash],
      ),
    );
  }

  /** A configured agent job, accepted and submitted with RESULT (no validation request yet). */
  async function submittedAgentJob() {
    const f = await deployAgentEscrow();
    const job = await createAgentJob(f);
    await configure(f, job.id);
    await f.escrow.connect(f.provider).acceptJob(job.id);
    await f.escrow.connect(f.provider).submitWork(job.id, RESULT);
    return { ...f, job };
  }

  /** `submittedAgentJob` with the provider's validation request open for `f.validator`. */
  async function requestedAgentJob() {
    const f = await submittedAgentJob();
    const hash = await requestHashOf(f, f.job.id);
    await f.validation
      .connect(f.provider)
      .validationRequest(f.validator.address, f.agentId, "ipfs://request", hash);
    return { ...f, hash };
  }

  return {
    deployAgentEscrow,
    agentParams,
    createAgentJob,
    configure,
    requestHashOf,
    submittedAgentJob,
    requestedAgentJob,
  };
}
