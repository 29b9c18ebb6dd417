import { readFile } from "node:fs/promises";
import { expect } from "chai";
import hre, { network } from "hardhat";
import { ONE_ETH, escrowFixtures } from "./helpers/escrow.js";

// WorkEscrow delegates every extension selector to WorkEscrowExtension, which then runs on the core's
// storage: both must lay out every variable of WorkEscrowBase identically, or one would read what the
// other wrote somewhere else. The layouts come from solc's `storageLayout` output (hardhat.config.ts
// selects it) in the build info of the current build.

const { ethers, networkHelpers } = await network.create();
const fx = escrowFixtures({ ethers, networkHelpers });

interface StorageEntry {
  label: string;
  slot: string;
  offset: number;
  type: string;
  contract: string;
}
interface StorageType {
  label: string;
  numberOfBytes: string;
  members?: StorageEntry[];
}
interface Layout {
  storage: StorageEntry[];
  types: Record<string, StorageType>;
}

const outputs = new Map<string, Promise<{ output: { contracts: Record<string, never> } }>>();

async function layoutOf(name: string): Promise<Layout> {
  const artifact = await hre.artifacts.readArtifact(name);
  const id = await hre.artifacts.getBuildInfoId(name);
  expect(id, `build info of ${name}`).to.not.equal(undefined);
  const path = (await hre.artifacts.getBuildInfoOutputPath(id!))!;
  // the build info output is large: parse each file once
  if (!outputs.has(path)) outputs.set(path, readFile(path, "utf8").then(JSON.parse));
  const output = await outputs.get(path)!;
  const contracts = output.output.contracts as Record<
    string,
    Record<string, { storageLayout: Layout }>
  >;
  const layout = contracts[artifact.inputSourceName!][name].storageLayout;
  expect(layout, `storageLayout of ${name} (outputSelection)`).to.not.equal(undefined);
  return layout;
}

/** A variable's place and its type's shape, recursively (struct members included), without AST ids. */
function describeEntry(e: StorageEntry, types: Record<string, StorageType>): string {
  const t = types[e.type];
  const members = (t.members ?? []).map((m) => describeEntry(m, types)).join(", ");
  return `${e.label}@${e.slot}+${e.offset}:${t.label}(${t.numberOfBytes})${members ? `{${members}}` : ""}`;
}

describe("WorkEscrow storage layout", function () {
  it("WorkEscrow and WorkEscrowExtension lay out every variable of WorkEscrowBase identically", async function () {
    const [base, core, ext] = await Promise.all(
      ["WorkEscrowBase", "WorkEscrow", "WorkEscrowExtension"].map(layoutOf),
    );
    expect(base.storage.length).to.be.greaterThan(15);
    for (const [name, layout] of [
      ["WorkEscrow", core],
      ["WorkEscrowExtension", ext],
    ] as const) {
      base.storage.forEach((entry, i) => {
        expect(describeEntry(layout.storage[i], layout.types), `${name}: variable ${i}`).to.equal(
          describeEntry(entry, base.types),
        );
      });
    }
    // the core declares nothing of its own; the extension's own state (OpenZeppelin EIP712 and
    // NoncesKeyed) comes after the base's, in slots the core never touches
    expect(core.storage.length).to.equal(base.storage.length);
    const lastBaseSlot = Math.max(...base.storage.map((e) => Number(e.slot)));
    for (const extra of ext.storage.slice(base.storage.length)) {
      expect(Number(extra.slot), `${extra.label} after the base`).to.be.greaterThan(lastBaseSlot);
    }
  });

  it("_pendingOwner | _paused | _platformFeeBps | _communityFeeBps | _arbitrationFeeBps | _lastJobId share one slot", async function () {
    const layout = await layoutOf("WorkEscrow");
    const at = (label: string) => layout.storage.find((e) => e.label === label)!;
    const packed = [
      "_pendingOwner",
      "_paused",
      "_platformFeeBps",
      "_communityFeeBps",
      "_arbitrationFeeBps",
      "_lastJobId",
    ].map(at);
    for (const e of packed) expect(e.slot, e.label).to.equal(packed[0].slot);
    expect(packed.map((e) => e.offset)).to.deep.equal([0, 20, 21, 23, 25, 27]);

    // and on chain: the values sit where the layout says
    const f = await networkHelpers.loadFixture(fx.deployEscrow);
    await fx.createJob(f);
    await f.escrow.pause();
    await f.escrow.transferOwnership(f.other.address);
    const word = BigInt(await ethers.provider.getStorage(f.escrow, BigInt(packed[0].slot)));
    const field = (offset: number, bytes: number) =>
      (word >> BigInt(offset * 8)) & ((1n << BigInt(bytes * 8)) - 1n);
    expect(ethers.getAddress(ethers.toBeHex(field(0, 20), 20))).to.equal(f.other.address);
    expect(field(20, 1)).to.equal(1n, "paused");
    expect(field(21, 2)).to.equal(100n, "platform fee");
    expect(field(23, 2)).to.equal(50n, "community fee");
    expect(field(25, 2)).to.equal(200n, "arbitration fee");
    expect(field(27, 5)).to.equal(1n, "last job id");
  });

  it("a job is 4 slots (JobData), its optional terms 5 (JobOptionsData), a fee accrual 1", async function () {
    const layout = await layoutOf("WorkEscrow");
    const bytesOf = (label: string) =>
      Object.values(layout.types).find((t) => t.label === `struct WorkEscrowBase.${label}`)!
        .numberOfBytes;
    expect(bytesOf("JobData")).to.equal("128");
    expect(bytesOf("JobOptionsData")).to.equal("160");
    expect(bytesOf("FeeAccrual")).to.equal("32");
    // a job without options writes no option slot
    const f = await networkHelpers.loadFixture(fx.deployEscrow);
    const job = await fx.createJob(f, { amount: ONE_ETH });
    const optionsSlot = layout.storage.find((e) => e.label === "_options")!.slot;
    const base = BigInt(
      ethers.solidityPackedKeccak256(["uint256", "uint256"], [job.id, BigInt(optionsSlot)]),
    );
    for (let i = 0n; i < 5n; i++)
      expect(
        BigInt(await ethers.provider.getStorage(f.escrow, base + i)),
        `option slot ${i}`,
      ).to.equal(0n);
  });
});
