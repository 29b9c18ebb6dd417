/**
 * Fixed gas scenarios, shared by `npm run gas` (writes gas/report.md and gas/snapshot.json) and by
 * test/gas.test.ts (fails on a budget overrun or a >1% regression against the committed snapshot).
 * Measured like the predecessor's figures: Prague, optimizer 200 runs, fresh accounts holding ETH,
 * steady state (the fee accrual slot and the token's interned id already exist).
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { ContractTransactionResponse, Signer } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { CommunityFund, MockERC20 } from "../typechain-types/index.js";
import { deployWorkEscrow } from "./lib/deploy.js";

export interface Flow {
  name: string;
  steps: Array<[string, number]>;
  total: number;
}

export interface GasReport {
  flows: Flow[];
  runtimeBytes: number;
  fundRuntimeBytes: number;
}

/** Predecessor figures and our budgets (issue 5): flow name → [predecessor, budget ≤0.6×, target ≤0.5×]. */
export const BUDGETS: Record<string, [number, number, number]> = {
  "native: create → accept → submit → release": [456_150, 273_000, 228_000],
  "native: create → accept → submit → dispute → resolve 50/50": [669_197, 401_000, 335_000],
  "native: multiparty 2-of-3 create → accept → submit → approve ×2": [701_524, 420_000, 350_000],
  "native: create → cancel": [256_779, 154_000, 128_000],
};

const DAY = 86_400n;

export async function measureGas(
  ethers: HardhatEthers,
  networkHelpers: NetworkHelpers,
): Promise<GasReport> {
  const [admin, treasury, community, arbitrator] = await ethers.getSigners();
  const escrow = await deployWorkEscrow(ethers, {
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
  });
  const create = async (requester: Signer, p: Awaited<ReturnType<typeof params>>) => {
    const g = await gas(
      escrow
        .connect(requester)
        .createJob(p, { value: p.token === ethers.ZeroAddress ? p.amount : 0n }),
    );
    return { g, id: await escrow.jobCount() };
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
        ["raiseDispute", await gas(escrow.connect(r).raiseDispute(c.id, "incomplete"))],
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
    flow("native: create → accept → dispute → settlement by agreement", [
      ["createJob", c.g],
      ["acceptJob", await gas(escrow.connect(p).acceptJob(c.id))],
      ["raiseDispute", await gas(escrow.connect(p).raiseDispute(c.id, "scope changed"))],
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
      ["raiseDispute", await gas(escrow.connect(r).raiseDispute(c.id, "wrong"))],
    ];
    await networkHelpers.time.increase(7n * DAY);
    steps.push(["settleStaleDispute", await gas(escrow.connect(keeper).settleStaleDispute(c.id))]);
    flow("native: stale dispute settled 50/50", steps);
  }
  flow("withdraw of a fee credit (treasury, native)", [
    ["withdraw", await gas(escrow.connect(treasury).withdraw(ethers.ZeroAddress))],
  ]);

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

  const code = await ethers.provider.getCode(escrow);
  const fundCode = await ethers.provider.getCode(fund);
  return {
    flows,
    runtimeBytes: (code.length - 2) / 2,
    fundRuntimeBytes: (fundCode.length - 2) / 2,
  };
}

/** The committed snapshot: flow name → total gas. */
export function toSnapshot(report: GasReport): Record<string, number> {
  const snapshot: Record<string, number> = {
    "runtime bytecode (bytes)": report.runtimeBytes,
    "CommunityFund runtime bytecode (bytes)": report.fundRuntimeBytes,
  };
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
    `Runtime bytecode of WorkEscrow: ${report.runtimeBytes.toLocaleString("en")} bytes (limit 24,576; ${(24_576 - report.runtimeBytes).toLocaleString("en")} to spare).`,
  );
  out.push(
    `Runtime bytecode of CommunityFund: ${report.fundRuntimeBytes.toLocaleString("en")} bytes.`,
  );
  out.push("");
  return out.join("\n");
}
