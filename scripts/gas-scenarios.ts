/**
 * Fixed gas scenarios, shared by `npm run gas` (writes gas/report.md and gas/snapshot.json) and by
 * test/gas.test.ts (fails on a budget overrun or a >1% regression against the committed snapshot).
 * Measured like the predecessor's figures: Prague, optimizer 200 runs, fresh accounts holding ETH,
 * steady state (the fee accrual slot and the token's interned id already exist).
 */
import { readFileSync } from "node:fs";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { ContractTransactionResponse, Signer } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { CommunityFund, MockERC20, MockPermitToken } from "../typechain-types/index.js";
import { deployWorkEscrowSuite } from "./lib/deploy.js";
import { signBid } from "../sdk/bids.js";
import { signRequest } from "../sdk/relay.js";
import { NO_OPTIONS, createJobCall, splitJobParams } from "../sdk/checks.js";

export interface Flow {
  name: string;
  steps: Array<[string, number]>;
  total: number;
}

export interface GasReport {
  flows: Flow[];
  runtimeBytes: number;
  extensionRuntimeBytes: number;
  fundRuntimeBytes: number;
  /** Runtime bytes of the other deployable contracts (arbitration backends, verifier adapter, forwarder). */
  otherRuntimeBytes: Record<string, number>;
}

/** Predecessor figures and our budgets (issue 5): flow name → [predecessor, budget ≤0.6×, target ≤0.5×]. */
export const BUDGETS: Record<string, [number, number, number]> = {
  "native: create → accept → submit → release": [456_150, 273_000, 228_000],
  "native: create → accept → submit → dispute → resolve 50/50": [669_197, 401_000, 335_000],
  "native: multiparty 2-of-3 create → accept → submit → approve ×2": [701_524, 420_000, 350_000],
  "native: create → cancel": [256_779, 154_000, 128_000],
};

const DAY = 86_400n;

/** The last v1 snapshot, for the v1 → v2 table (flows that exist in both). */
const V1_BASELINE: Record<string, number> = JSON.parse(
  readFileSync(new URL("../gas/v1-baseline.json", import.meta.url), "utf8"),
);

export async function measureGas(
  ethers: HardhatEthers,
  networkHelpers: NetworkHelpers,
): Promise<GasReport> {
  const [admin, treasury, community, arbitrator] = await ethers.getSigners();
  const { escrow, forwarder } = await deployWorkEscrowSuite(ethers, {
    admin: admin.address,
    treasury: treasury.address,
    community: community.address,
    arbitrator: arbitrator.address,
  });
  const token = (await ethers.deployContract("MockERC20", [
    "USD",
    "USD",
    6,
  ])) as unknown as MockERC20;

  /** A new account holding 10 ETH (and tokens, with the escrow approved) with no history. */
  const fresh = async (): Promise<Signer> => {
    const w = ethers.Wallet.createRandom().connect(ethers.provider);
    await admin.sendTransaction({ to: w.address, value: 10n ** 19n });
    await token.mint(w.address, 10n ** 12n);
    await token.connect(w).approve(await escrow.getAddress(), ethers.MaxUint256);
    return w;
  };
  const gas = async (tx: Promise<ContractTransactionResponse>) =>
    Number((await (await tx).wait())!.gasUsed);
  const params = async (
    provider: string,
    erc20 = false,
    approvers: string[] = [],
    threshold = 0,
  ) => ({
    provider,
    token: erc20 ? await token.getAddress() : ethers.ZeroAddress,
    amount: erc20 ? 1_000_000_000n : 10n ** 18n,
    deadline: BigInt(await networkHelpers.time.latest()) + DAY,
    reviewPeriod: Number(DAY),
    jobType: 0,
    jobHash: ethers.id("benchmark job"),
    arbitrator: arbitrator.address,
    approvers,
    threshold,
    ...NO_OPTIONS,
  });
  const create = async (requester: Signer, p: Awaited<ReturnType<typeof params>>) => {
    const call = createJobCall(p);
    const value = p.token === ethers.ZeroAddress ? p.amount + p.keeperTip : 0n;
    const g = await gas(
      escrow.connect(requester).getFunction(call.method)(...call.args, { value }),
    );
    return { g, id: await escrow.jobCount() };
  };

  /** Raises a dispute paying the deposit (native value, or the fresh account's standing approval). */
  const dispute = async (by: Signer, id: bigint, erc20 = false, reason = "incomplete") => {
    const job = await escrow.getJob(id);
    const deposit = (job.amount * job.arbitrationFeeBps) / 10_000n;
    return escrow.connect(by).raiseDispute(id, reason, { value: erc20 ? 0n : deposit });
  };

  // Steady state: one settled job per token first, so fee accruals and the token id exist.
  for (const erc20 of [false, true]) {
    const [r, p] = [await fresh(), await fresh()];
    const { id } = await create(r, await params(await p.getAddress(), erc20));
    await escrow.connect(p).acceptJob(id);
    await escrow.connect(r).release(id);
  }

  const flows: Flow[] = [];
  const flow = (name: string, steps: Array<[string, number]>) =>
    flows.push({ name, steps, total: steps.reduce((a, [, g]) => a + g, 0) });

  for (const erc20 of [false, true]) {
    const label = erc20 ? "ERC-20" : "native";
    {
      const [r, p] = [await fresh(), await fresh()];
      const c = await create(r, await params(await p.getAddress(), erc20));
      flow(`${label}: create → accept → submit → release`, [
        ["createJob", c.g],
        ["acceptJob", await gas(escrow.connect(p).acceptJob(c.id))],
        ["submitWork", await gas(escrow.connect(p).submitWork(c.id, ethers.id("result")))],
        ["release", await gas(escrow.connect(r).release(c.id))],
      ]);
    }
    {
      const [r, p] = [await fresh(), await fresh()];
      const c = await create(r, await params(await p.getAddress(), erc20));
      flow(`${label}: create → accept → submit → dispute → resolve 50/50`, [
        ["createJob", c.g],
        ["acceptJob", await gas(escrow.connect(p).acceptJob(c.id))],
        ["submitWork", await gas(escrow.connect(p).submitWork(c.id, ethers.id("result")))],
        ["raiseDispute (deposit)", await gas(dispute(r, c.id, erc20))],
        ["resolveDispute", await gas(escrow.connect(arbitrator).resolveDispute(c.id, 5000))],
      ]);
    }
    {
      const [r, p, a1, a2, a3] = [
        await fresh(),
        await fresh(),
        await fresh(),
        await fresh(),
        await fresh(),
      ];
      const approvers = await Promise.all([a1, a2, a3].map((a) => a.getAddress()));
      const c = await create(r, await params(await p.getAddress(), erc20, approvers, 2));
      flow(`${label}: multiparty 2-of-3 create → accept → submit → approve ×2`, [
        ["createJob (3 approvers)", c.g],
        ["acceptJob", await gas(escrow.connect(p).acceptJob(c.id))],
        ["submitWork", await gas(escrow.connect(p).submitWork(c.id, ethers.id("result")))],
        ["approveWork (1st)", await gas(escrow.connect(a1).approveWork(c.id))],
        ["approveWork (2nd, releases)", await gas(escrow.connect(a3).approveWork(c.id))],
      ]);
    }
    {
      const [r, p] = [await fresh(), await fresh()];
      const c = await create(r, await params(await p.getAddress(), erc20));
      flow(`${label}: create → cancel`, [
        ["createJob", c.g],
        ["cancelJob", await gas(escrow.connect(r).cancelJob(c.id))],
      ]);
    }
  }
  {
    const [r, p, keeper] = [await fresh(), await fresh(), await fresh()];
    const c = await create(r, await params(await p.getAddress()));
    const accept = await gas(escrow.connect(p).acceptJob(c.id));
    await networkHelpers.time.increase(DAY + 1n);
    flow("native: create → accept → refund after deadline", [
      ["createJob", c.g],
      ["acceptJob", accept],
      ["refundExpired", await gas(escrow.connect(keeper).refundExpired(c.id))],
    ]);
  }
  {
    const [r, p] = [await fresh(), await fresh()];
    const c = await create(r, await params(await p.getAddress()));
    const accept = await gas(escrow.connect(p).acceptJob(c.id));
    flow("native: create → accept → submit → dispute → settlement by agreement", [
      ["createJob", c.g],
      ["acceptJob", accept],
      ["submitWork", await gas(escrow.connect(p).submitWork(c.id, ethers.id("result")))],
      ["raiseDispute (deposit)", await gas(dispute(p, c.id, false, "scope changed"))],
      ["proposeSettlement", await gas(escrow.connect(r).proposeSettlement(c.id, 6000))],
      ["acceptSettlement", await gas(escrow.connect(p).acceptSettlement(c.id, 6000))],
    ]);
  }
  {
    const [r, p, keeper] = [await fresh(), await fresh(), await fresh()];
    const c = await create(r, await params(await p.getAddress()));
    const steps: Array<[string, number]> = [
      ["createJob", c.g],
      ["acceptJob", await gas(escrow.connect(p).acceptJob(c.id))],
      ["submitWork", await gas(escrow.connect(p).submitWork(c.id, ethers.id("result")))],
      ["raiseDispute (deposit)", await gas(dispute(r, c.id, false, "wrong"))],
    ];
    await networkHelpers.time.increase(7n * DAY);
    steps.push(["settleStaleDispute", await gas(escrow.connect(keeper).settleStaleDispute(c.id))]);
    flow("native: stale dispute settled 50/50", steps);
  }
  {
    const [r, p] = [await fresh(), await fresh()];
    const c = await create(r, await params(await p.getAddress()));
    flow("native: create → accept → mutual cancellation (0 bps agreed)", [
      ["createJob", c.g],
      ["acceptJob", await gas(escrow.connect(p).acceptJob(c.id))],
      ["proposeSettlement (provider, 0)", await gas(escrow.connect(p).proposeSettlement(c.id, 0))],
      ["acceptSettlement (requester)", await gas(escrow.connect(r).acceptSettlement(c.id, 0))],
    ]);
  }

  // v2 optional terms: each flow pays only for the option it uses.
  {
    const [r, p] = [await fresh(), await fresh()];
    const base = await params(await p.getAddress());
    const c = await create(r, { ...base, providerBond: 10n ** 17n });
    flow("native, bonded: create → accept (posts bond) → submit → release", [
      ["createJob (bond 0.1)", c.g],
      [
        "acceptJob (posts bond)",
        await gas(escrow.connect(p).acceptJob(c.id, { value: 10n ** 17n })),
      ],
      ["submitWork", await gas(escrow.connect(p).submitWork(c.id, ethers.id("result")))],
      ["release (bond back)", await gas(escrow.connect(r).release(c.id))],
    ]);
  }
  {
    const [r, p] = [await fresh(), await fresh()];
    const c = await create(r, {
      ...(await params(await p.getAddress())),
      providerBond: 10n ** 17n,
    });
    await escrow.connect(p).acceptJob(c.id, { value: 10n ** 17n });
    await networkHelpers.time.increase(DAY + 1n);
    const keeper = await fresh();
    flow("native, bonded: no-show slashed (refund after deadline, bond to requester)", [
      ["createJob (bond 0.1)", c.g],
      ["refundExpired (stranger)", await gas(escrow.connect(keeper).refundExpired(c.id))],
    ]);
  }
  {
    const [r, p] = [await fresh(), await fresh()];
    const c = await create(r, await params(await p.getAddress()));
    await escrow.connect(p).acceptJob(c.id);
    const third = 10n ** 18n / 3n;
    flow("native: three milestones (2 partial releases + release)", [
      ["createJob", c.g],
      ["releasePartial (1/3)", await gas(escrow.connect(r).releasePartial(c.id, third))],
      ["releasePartial (1/3)", await gas(escrow.connect(r).releasePartial(c.id, third))],
      ["release (rest)", await gas(escrow.connect(r).release(c.id))],
    ]);
  }
  {
    const [r, p, keeper] = [await fresh(), await fresh(), await fresh()];
    const c = await create(r, { ...(await params(await p.getAddress())), keeperTip: 10n ** 15n });
    await escrow.connect(p).acceptJob(c.id);
    await escrow.connect(p).submitWork(c.id, ethers.id("result"));
    await networkHelpers.time.increase(DAY);
    flow("native, keeper tip: release after the review window by a keeper", [
      ["createJob (tip 0.001)", c.g],
      ["release (keeper paid)", await gas(escrow.connect(keeper).release(c.id))],
    ]);
  }
  {
    // Batch: 20 expired accepted jobs with tips, finalised in one call vs one refund each.
    const keeper = await fresh();
    const batch = async () => {
      const ids: bigint[] = [];
      for (let i = 0; i < 20; i++) {
        const [r, p] = [await fresh(), await fresh()];
        const c = await create(r, {
          ...(await params(await p.getAddress())),
          keeperTip: 10n ** 15n,
        });
        await escrow.connect(p).acceptJob(c.id);
        ids.push(c.id);
      }
      return ids;
    };
    const single = await batch();
    const many = await batch();
    await networkHelpers.time.increase(DAY + 1n);
    let singles = 0;
    for (const id of single) singles += await gas(escrow.connect(keeper).refundExpired(id));
    const batched = await gas(escrow.connect(keeper).finalize(many));
    flow("keeper: 20 refunds one by one (per job)", [
      ["refundExpired ×20 / 20", Math.round(singles / 20)],
    ]);
    flow("keeper: finalize a batch of 20 (per job)", [
      ["finalize([20 ids]) / 20", Math.round(batched / 20)],
    ]);
  }
  {
    const [r, p, v] = [await fresh(), await fresh(), await fresh()];
    const c = await create(r, {
      ...(await params(await p.getAddress())),
      verifier: await v.getAddress(),
      verifierFeeBps: 100,
    });
    flow("native, verifier: create → accept → submit → verifier approves (released)", [
      ["createJob (verifier, 1%)", c.g],
      ["acceptJob", await gas(escrow.connect(p).acceptJob(c.id))],
      ["submitWork", await gas(escrow.connect(p).submitWork(c.id, ethers.id("result")))],
      ["verifyWork (approve, releases)", await gas(escrow.connect(v).verifyWork(c.id, true))],
    ]);
  }
  {
    // One approval costs the same whatever the number of approvers: the paying approval of jobs with
    // 1, 8 and 16 approvers (threshold = all), and the first approval of the 16-approver job.
    const steps: Array<[string, number]> = [];
    for (const n of [1, 8, 16]) {
      const [r, p] = [await fresh(), await fresh()];
      const approvers: Signer[] = [];
      for (let i = 0; i < n; i++) approvers.push(await fresh());
      const addrs = await Promise.all(approvers.map((a) => a.getAddress()));
      const c = await create(r, await params(await p.getAddress(), false, addrs, n));
      await escrow.connect(p).acceptJob(c.id);
      await escrow.connect(p).submitWork(c.id, ethers.id("result"));
      for (let i = 0; i < n - 1; i++) {
        const g = await gas(escrow.connect(approvers[i]).approveWork(c.id));
        if (n === 16 && i === 0) steps.push(["approveWork, 1st of 16", g]);
      }
      steps.push([
        `approveWork, paying (${n} of ${n})`,
        await gas(escrow.connect(approvers[n - 1]).approveWork(c.id)),
      ]);
    }
    flow("approvals: one approval with 1, 8 and 16 approvers", steps);
  }
  flow("withdraw of a fee credit (treasury, native)", [
    ["withdraw", await gas(escrow.connect(treasury).withdraw(ethers.ZeroAddress))],
  ]);

  // Signed inputs (issue 12): a bid award, a permit creation, a relayed submission.
  {
    const [r, bidder] = [await fresh(), await fresh()];
    const c = await create(r, { ...(await params(ethers.ZeroAddress)), bidsOnly: true });
    const now = BigInt(await networkHelpers.time.latest());
    const s = await signBid(escrow, bidder, {
      jobId: c.id,
      price: 6n * 10n ** 17n,
      expiry: now + 3600n,
    });
    flow("bids: create (bids only) → award the signed bid (refunds the difference)", [
      ["createJob (bidsOnly)", c.g],
      ["awardBid (EIP-712, EOA)", await gas(escrow.connect(r).awardBid(c.id, s.bid, s.signature))],
    ]);
  }
  {
    const permitToken = (await ethers.deployContract("MockPermitToken", [
      "Permit USD",
      "PUSD",
    ])) as unknown as MockPermitToken;
    const escrowAddress = await escrow.getAddress();
    const signed = async (r: Signer, value: bigint) => {
      const owner = await r.getAddress();
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const d = await permitToken.eip712Domain();
      const sig = ethers.Signature.from(
        await r.signTypedData(
          {
            name: d.name,
            version: d.version,
            chainId: d.chainId,
            verifyingContract: d.verifyingContract,
          },
          {
            Permit: [
              { name: "owner", type: "address" },
              { name: "spender", type: "address" },
              { name: "value", type: "uint256" },
              { name: "nonce", type: "uint256" },
              { name: "deadline", type: "uint256" },
            ],
          },
          {
            owner,
            spender: escrowAddress,
            value,
            nonce: await permitToken.nonces(owner),
            deadline,
          },
        ),
      );
      return { deadline, sig };
    };
    const p = await fresh();
    const job = async () =>
      splitJobParams({
        ...(await params(await p.getAddress())),
        token: await permitToken.getAddress(),
        amount: 1_000_000_000n,
      });
    // steady state: the token's id is interned by a first job
    const first = await fresh();
    await permitToken.mint(await first.getAddress(), 10n ** 12n);
    const f = await signed(first, 1_000_000_000n);
    const j1 = await job();
    await escrow
      .connect(first)
      .createJobWithPermit(j1.terms, j1.options, f.deadline, f.sig.v, f.sig.r, f.sig.s);
    const r = await fresh();
    await permitToken.mint(await r.getAddress(), 10n ** 12n);
    const { deadline, sig } = await signed(r, 1_000_000_000n);
    const j2 = await job();
    flow("ERC-20 with an EIP-2612 permit: one-transaction creation (no approve)", [
      [
        "createJobWithPermit",
        await gas(
          escrow
            .connect(r)
            .createJobWithPermit(j2.terms, j2.options, deadline, sig.v, sig.r, sig.s),
        ),
      ],
    ]);
  }
  {
    const [r, p, relayer] = [await fresh(), await fresh(), await fresh()];
    const c = await create(r, await params(await p.getAddress()));
    await escrow.connect(p).acceptJob(c.id);
    const req = await signRequest(forwarder, p, {
      to: await escrow.getAddress(),
      data: escrow.interface.encodeFunctionData("submitWork", [c.id, ethers.id("result")]),
    });
    flow("gasless: a submission signed by the provider, relayed by someone else (ERC-2771)", [
      ["forwarder.execute(submitWork)", await gas(forwarder.connect(relayer).execute(req.request))],
    ]);
  }

  // Arbitration backends (docs/arbitration.md): a committee of three deciding by two votes, and an
  // ERC-792 court behind the adapter (the test court AppealableArbitrator, cost 0.01 ETH, no appeal).
  const [m1, m2, m3] = [await fresh(), await fresh(), await fresh()];
  const committee = await ethers.deployContract("CommitteeArbitrator", [
    await escrow.getAddress(),
    admin.address,
    [await m1.getAddress(), await m2.getAddress(), await m3.getAddress()],
    2,
  ]);
  const court = await ethers.deployContract("AppealableArbitrator", [10n ** 16n, 3600]);
  const adapter = await ethers.deployContract("ERC792ArbitratorAdapter", [
    await escrow.getAddress(),
    await court.getAddress(),
    "0x",
    "ipfs://meta-evidence",
    3600,
  ]);
  await escrow.setArbitrator(await committee.getAddress(), true, Number(3n * DAY));
  await escrow.setArbitrator(await adapter.getAddress(), true, Number(30n * DAY));
  /** A submitted job judged by `arbitrator`, disputed by its requester. */
  const disputedBy = async (arbiter: string) => {
    const [r, p] = [await fresh(), await fresh()];
    const c = await create(r, { ...(await params(await p.getAddress())), arbitrator: arbiter });
    await escrow.connect(p).acceptJob(c.id);
    await escrow.connect(p).submitWork(c.id, ethers.id("result"));
    await dispute(r, c.id);
    return { id: c.id, requester: r };
  };
  {
    // steady state: the members already hold credits from an earlier ruling
    const { id: first } = await disputedBy(await committee.getAddress());
    await committee.connect(m1).vote(first, 5000);
    await committee.connect(m2).vote(first, 5000);
    const { id } = await disputedBy(await committee.getAddress());
    flow("committee: 2 of 3 members decide a disputed native job (votes 6,000 and 4,000 bps)", [
      ["vote (first)", await gas(committee.connect(m1).vote(id, 6000))],
      ["vote (executing: ruling, fee shares)", await gas(committee.connect(m2).vote(id, 4000))],
    ]);
  }
  {
    // a party (here the requester who disputed) pays the court's whole cost
    const { id, requester } = await disputedBy(await adapter.getAddress());
    const funded = await gas(adapter.connect(requester).fundCourt(id, { value: 10n ** 16n }));
    const disputeId = (await adapter.caseOf(id)).disputeId;
    await court.giveRuling(disputeId, 1);
    await networkHelpers.time.increase(3600);
    flow("court (ERC-792): a party funds the court, the court's ruling is applied (native)", [
      ["fundCourt (creates the court dispute)", funded],
      ["court executeRuling → rule (ruling applied)", await gas(court.executeRuling(disputeId))],
    ]);
  }

  // Community fund: collect the escrow credit, post a round of 1,000 entries, one provider claims
  // (a proof of 10 hashes). The fund is swapped in as the community-fee recipient first.
  const fund = (await ethers.deployContract("CommunityFund", [
    {
      admin: admin.address,
      guardian: admin.address,
      minInterval: Number(DAY),
      challengeDelay: 3600,
      claimPeriod: Number(7n * DAY),
      thresholds: [{ token: ethers.ZeroAddress, threshold: 1n }],
    },
  ])) as unknown as CommunityFund;
  await escrow.setFeeRecipients(treasury.address, await fund.getAddress());
  {
    const [r, p] = [await fresh(), await fresh()];
    const c = await create(r, await params(await p.getAddress()));
    await escrow.connect(p).acceptJob(c.id);
    await escrow.connect(r).release(c.id);
  }
  const [claimer, redirecter] = [await fresh(), await fresh()];
  const entries: [string, string][] = [
    [await claimer.getAddress(), "1000"],
    [await redirecter.getAddress(), "1000"],
  ];
  for (let i = 2; i < 1000; i++) entries.push([ethers.zeroPadValue(ethers.toBeHex(i), 20), "1"]);
  const tree = StandardMerkleTree.of(entries, ["address", "uint256"]);
  const keeper = await fresh();
  const collect = await gas(
    fund.connect(keeper).collect(await escrow.getAddress(), ethers.ZeroAddress),
  );
  const post = await gas(
    fund.postRound(
      ethers.ZeroAddress,
      tree.root,
      2000n + 998n,
      await networkHelpers.time.latest(),
      "ipfs://round",
    ),
  );
  await networkHelpers.time.increase(3600);
  const claimerAddress = await claimer.getAddress();
  flow("community fund: collect → post round → claim (1,000-entry tree)", [
    ["collect (escrow credit → fund)", collect],
    ["postRound", post],
    [
      "claim (native, 10-hash proof)",
      await gas(fund.connect(claimer).claim(1, claimerAddress, 1000n, tree.getProof(0))),
    ],
  ]);
  // An account that cannot receive (blocklisted, refusing the coin) sends its entry elsewhere.
  const elsewhere = await (await fresh()).getAddress();
  flow("community fund: claimTo another address (native, 1,000-entry tree)", [
    [
      "claimTo (native, 10-hash proof)",
      await gas(fund.connect(redirecter).claimTo(1, 1000n, tree.getProof(1), elsewhere)),
    ],
  ]);

  const bytes = async (address: string) =>
    ((await ethers.provider.getCode(address)).length - 2) / 2;
  const identityRegistry = await ethers.deployContract("MockIdentityRegistry");
  const validationRegistry = await ethers.deployContract("MockValidationRegistry", [
    await identityRegistry.getAddress(),
  ]);
  const validationAdapter = await ethers.deployContract("ERC8004ValidationAdapter", [
    await validationRegistry.getAddress(),
  ]);
  const otherRuntimeBytes = {
    CommitteeArbitrator: await bytes(await committee.getAddress()),
    ERC792ArbitratorAdapter: await bytes(await adapter.getAddress()),
    ERC8004ValidationAdapter: await bytes(await validationAdapter.getAddress()),
    WorkEscrowForwarder: await bytes(await forwarder.getAddress()),
  };
  return {
    otherRuntimeBytes,
    flows,
    runtimeBytes: await bytes(await escrow.getAddress()),
    extensionRuntimeBytes: await bytes(await escrow.extension()),
    fundRuntimeBytes: await bytes(await fund.getAddress()),
  };
}

/** The committed snapshot: flow name → total gas. */
export function toSnapshot(report: GasReport): Record<string, number> {
  const snapshot: Record<string, number> = {
    "runtime bytecode (bytes)": report.runtimeBytes,
    "WorkEscrowExtension runtime bytecode (bytes)": report.extensionRuntimeBytes,
    "CommunityFund runtime bytecode (bytes)": report.fundRuntimeBytes,
  };
  for (const [name, size] of Object.entries(report.otherRuntimeBytes))
    snapshot[`${name} runtime bytecode (bytes)`] = size;
  for (const f of report.flows) snapshot[f.name] = f.total;
  return snapshot;
}

export function toMarkdown(report: GasReport): string {
  const out: string[] = [];
  out.push("# Gas report");
  out.push("");
  out.push(
    "Generated by `npm run gas` (scripts/gas.ts); checked by test/gas.test.ts against gas/snapshot.json.",
  );
  out.push(
    "Prague, solc 0.8.30, optimizer 200 runs, fresh accounts holding ETH, steady state. gasUsed per transaction.",
  );
  out.push("");
  out.push("## Budgets");
  out.push("");
  out.push(
    "| flow | predecessor | budget (≤ 0.6×) | target (≤ 0.5×) | WorkEscrow | vs predecessor |",
  );
  out.push("|---|---:|---:|---:|---:|---:|");
  for (const [name, [pred, budget, target]] of Object.entries(BUDGETS)) {
    const f = report.flows.find((x) => x.name === name)!;
    const ok = f.total <= budget ? "✅" : "❌";
    out.push(
      `| ${name} | ${pred.toLocaleString("en")} | ${budget.toLocaleString("en")} | ${target.toLocaleString("en")} | ${f.total.toLocaleString("en")} ${ok} | ${(f.total / pred).toFixed(3)}× |`,
    );
  }
  out.push("");
  out.push("## v1 → v2: jobs that use no optional term");
  out.push("");
  out.push(
    "The same flows measured on the v1 contract (`gas/v1-baseline.json`, the last v1 snapshot) and now; " +
      "test/gas.test.ts holds every flow that uses no option within +1% of v1 (the disputed flows pay issue 10's " +
      "deposit by rule). A job without options is created with v1's `createJob(JobParams)`: no option words in " +
      "calldata, no option checks; options go to `createJobWithOptions(JobParams, JobOptions)`. Settlement events " +
      "name the fees they credit, so no separate fee event is paid for; a fee recipient's withdrawal takes its share " +
      "straight from the fee accrual and writes nobody else's credit (hence the cheaper withdraw). What remains over " +
      "v1: the arbitration period in `JobCreated`'s terms (one log word, 256 gas), the ERC-2771 sender lookup and " +
      "the options flag on each settlement.",
  );
  out.push("");
  out.push("| flow | v1 | v2 | change |");
  out.push("|---|---:|---:|---:|");
  for (const [name, v1] of Object.entries(V1_BASELINE)) {
    const f = report.flows.find((x) => x.name === name);
    if (!f || name.includes("bytecode")) continue;
    const note = name.includes("dispute") ? " (v2 adds the dispute deposit)" : "";
    out.push(
      `| ${name}${note} | ${v1.toLocaleString("en")} | ${f.total.toLocaleString("en")} | ${(((f.total - v1) / v1) * 100).toFixed(2)}% |`,
    );
  }
  out.push("");
  out.push("## Every operation");
  for (const f of report.flows) {
    out.push("");
    out.push(`### ${f.name} — ${f.total.toLocaleString("en")} gas`);
    out.push("");
    out.push("| operation | gasUsed |");
    out.push("|---|---:|");
    for (const [op, g] of f.steps) out.push(`| ${op} | ${g.toLocaleString("en")} |`);
  }
  out.push("");
  out.push(
    `Runtime bytecode (budget 22,000 bytes each; EIP-170 limit 24,576): WorkEscrow ${report.runtimeBytes.toLocaleString("en")} bytes, ` +
      `WorkEscrowExtension ${report.extensionRuntimeBytes.toLocaleString("en")} bytes.`,
  );
  out.push(
    `Runtime bytecode of the other contracts: CommunityFund ${report.fundRuntimeBytes.toLocaleString("en")} bytes, ` +
      Object.entries(report.otherRuntimeBytes)
        .map(([name, size]) => `${name} ${size.toLocaleString("en")} bytes`)
        .join(", ") +
      ".",
  );
  out.push("");
  return out.join("\n");
}
