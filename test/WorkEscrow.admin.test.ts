import { expect } from "chai";
import { network } from "hardhat";
import { DAY, HOUR, escrowFixtures } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

describe("WorkEscrow admin", function () {
  it("constructor: sets every InitialConfig field, with the setters' events and checks", async function () {
    const [a, b, c, arb1, arb2] = await ethers.getSigners();
    const factory = await ethers.getContractFactory("WorkEscrow");
    const token = await ethers.deployContract("MockERC20", ["Six", "SIX", 6]);
    const config = {
      admin: a.address,
      treasury: b.address,
      communityFund: c.address,
      platformFeeBps: 100,
      communityFeeBps: 50,
      arbitrationFeeBps: 200,
      arbitrators: [arb1.address, arb2.address],
      minAmounts: [
        { token: ethers.ZeroAddress, minAmount: 10n ** 15n },
        { token: await token.getAddress(), minAmount: 1_000_000n },
      ],
    };
    const with_ = (patch: Partial<typeof config>) => factory.deploy({ ...config, ...patch });
    await expect(with_({ admin: ethers.ZeroAddress })).to.be.revertedWithCustomError(
      factory,
      "OwnableInvalidOwner",
    );
    await expect(with_({ treasury: ethers.ZeroAddress })).to.be.revertedWithCustomError(
      factory,
      "WorkEscrowZeroAddress",
    );
    await expect(with_({ communityFund: ethers.ZeroAddress })).to.be.revertedWithCustomError(
      factory,
      "WorkEscrowZeroAddress",
    );
    await expect(with_({ arbitrators: [ethers.ZeroAddress] })).to.be.revertedWithCustomError(
      factory,
      "WorkEscrowZeroAddress",
    );
    await expect(with_({ platformFeeBps: 1001 }))
      .to.be.revertedWithCustomError(factory, "WorkEscrowFeeTooHigh")
      .withArgs(1001, 50, 200);
    await expect(
      with_({ minAmounts: [{ token: ethers.ZeroAddress, minAmount: 2n ** 128n }] }),
    ).to.be.revertedWithCustomError(factory, "WorkEscrowAmountTooLarge");

    const escrow = await with_({});
    const deployTx = escrow.deploymentTransaction()!;
    await expect(deployTx).to.emit(escrow, "FeesUpdated").withArgs(100, 50, 200);
    await expect(deployTx).to.emit(escrow, "ArbitratorUpdated").withArgs(arb2.address, true);
    await expect(deployTx)
      .to.emit(escrow, "MinAmountUpdated")
      .withArgs(await token.getAddress(), 1_000_000n);
    expect(await escrow.owner()).to.equal(a.address);
    expect(await escrow.treasury()).to.equal(b.address);
    expect(await escrow.communityFund()).to.equal(c.address);
    expect([
      await escrow.platformFeeBps(),
      await escrow.communityFeeBps(),
      await escrow.arbitrationFeeBps(),
    ]).to.deep.equal([100n, 50n, 200n]);
    expect(await escrow.isArbitrator(arb1.address)).to.equal(true);
    expect(await escrow.isArbitrator(arb2.address)).to.equal(true);
    expect(await escrow.minAmount(ethers.ZeroAddress)).to.equal(10n ** 15n);
    expect(await escrow.minAmount(await token.getAddress())).to.equal(1_000_000n);

    const bare = await with_({
      arbitrators: [],
      minAmounts: [],
      platformFeeBps: 0,
      communityFeeBps: 0,
    });
    expect(await bare.platformFeeBps()).to.equal(0n);
    expect(await bare.isArbitrator(arb1.address)).to.equal(false);
  });

  it("exposes the documented bounds", async function () {
    const { escrow } = await loadFixture(fx.deployEscrow);
    expect(await escrow.MAX_APPROVERS()).to.equal(16n);
    expect(await escrow.MIN_REVIEW()).to.equal(HOUR);
    expect(await escrow.MAX_REVIEW()).to.equal(30n * DAY);
    expect(await escrow.MAX_DURATION()).to.equal(365n * DAY);
    expect(await escrow.ARBITRATION_PERIOD()).to.equal(7n * DAY);
    expect(await escrow.MAX_PLATFORM_FEE_BPS()).to.equal(1000n);
    expect(await escrow.MAX_COMMUNITY_FEE_BPS()).to.equal(500n);
    expect(await escrow.MAX_ARBITRATION_FEE_BPS()).to.equal(1000n);
  });

  it("setFees: within caps, emits, and rejects every cap + 1", async function () {
    const { escrow } = await loadFixture(fx.deployEscrow);
    await expect(escrow.setFees(500, 500, 1000))
      .to.emit(escrow, "FeesUpdated")
      .withArgs(500, 500, 1000);
    for (const [p, c, a] of [
      [1001, 0, 0],
      [0, 501, 0],
      [600, 401, 0],
      [0, 0, 1001],
    ]) {
      await expect(escrow.setFees(p, c, a))
        .to.be.revertedWithCustomError(escrow, "WorkEscrowFeeTooHigh")
        .withArgs(p, c, a);
    }
    await escrow.setFees(1000, 0, 1000);
    expect(await escrow.platformFeeBps()).to.equal(1000n);
  });

  it("every admin call is owner-only", async function () {
    const { escrow, stranger } = await loadFixture(fx.deployEscrow);
    const s = escrow.connect(stranger);
    const calls = [
      () => s.setFees(1, 1, 1),
      () => s.setFeeRecipients(stranger.address, stranger.address),
      () => s.setArbitrator(stranger.address, true),
      () => s.setMinAmount(ethers.ZeroAddress, 1),
      () => s.pause(),
      () => s.unpause(),
      () => s.transferOwnership(stranger.address),
      () => s.renounceOwnership(),
    ];
    for (const call of calls) {
      await expect(call())
        .to.be.revertedWithCustomError(escrow, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    }
  });

  it("ownership is two-step and cannot be renounced", async function () {
    const { escrow, admin, other } = await loadFixture(fx.deployEscrow);
    await expect(escrow.renounceOwnership()).to.be.revertedWithCustomError(
      escrow,
      "WorkEscrowRenounceDisabled",
    );
    await escrow.transferOwnership(other.address);
    expect(await escrow.owner()).to.equal(admin.address);
    expect(await escrow.pendingOwner()).to.equal(other.address);
    await escrow.connect(other).acceptOwnership();
    expect(await escrow.owner()).to.equal(other.address);
    await expect(escrow.connect(admin).pause()).to.be.revertedWithCustomError(
      escrow,
      "OwnableUnauthorizedAccount",
    );
  });

  it("setFeeRecipients rejects zero addresses and emits", async function () {
    const { escrow, other, stranger } = await loadFixture(fx.deployEscrow);
    await expect(
      escrow.setFeeRecipients(ethers.ZeroAddress, other.address),
    ).to.be.revertedWithCustomError(escrow, "WorkEscrowZeroAddress");
    await expect(escrow.setFeeRecipients(other.address, stranger.address))
      .to.emit(escrow, "FeeRecipientsUpdated")
      .withArgs(other.address, stranger.address);
  });

  it("setArbitrator registers, unregisters and re-registers; rejects zero", async function () {
    const { escrow, stranger } = await loadFixture(fx.deployEscrow);
    await expect(escrow.setArbitrator(ethers.ZeroAddress, true)).to.be.revertedWithCustomError(
      escrow,
      "WorkEscrowZeroAddress",
    );
    await expect(escrow.setArbitrator(stranger.address, true))
      .to.emit(escrow, "ArbitratorUpdated")
      .withArgs(stranger.address, true);
    expect(await escrow.isArbitrator(stranger.address)).to.equal(true);
    await escrow.setArbitrator(stranger.address, false);
    expect(await escrow.isArbitrator(stranger.address)).to.equal(false);
    await escrow.setArbitrator(stranger.address, true);
    expect(await escrow.isArbitrator(stranger.address)).to.equal(true);
  });

  it("setMinAmount stores per token and rejects values above uint128", async function () {
    const { escrow, token } = await loadFixture(fx.deployEscrow);
    await expect(escrow.setMinAmount(token, 123n))
      .to.emit(escrow, "MinAmountUpdated")
      .withArgs(await token.getAddress(), 123n);
    expect(await escrow.minAmount(token)).to.equal(123n);
    expect(await escrow.minAmount(ethers.ZeroAddress)).to.equal(0n);
    await expect(escrow.setMinAmount(token, 2n ** 128n)).to.be.revertedWithCustomError(
      escrow,
      "WorkEscrowAmountTooLarge",
    );
  });

  it("pause/unpause emit and only gate creation", async function () {
    const { escrow, admin } = await loadFixture(fx.deployEscrow);
    await expect(escrow.pause()).to.emit(escrow, "Paused").withArgs(admin.address);
    expect(await escrow.paused()).to.equal(true);
    await expect(escrow.unpause()).to.emit(escrow, "Unpaused").withArgs(admin.address);
  });

  it("storage: pause flag, fee rates and job counter share one slot (the gas design relies on it)", async function () {
    const f = await loadFixture(fx.deployEscrow);
    await fx.createJob(f);
    await f.escrow.pause();
    const slot1 = BigInt(await ethers.provider.getStorage(f.escrow, 1));
    // layout: _pendingOwner (20 bytes) | _paused (1) | platform (2) | community (2) | arbitration (2) | lastJobId (5)
    expect((slot1 >> 160n) & 0xffn).to.equal(1n, "paused");
    expect((slot1 >> 168n) & 0xffffn).to.equal(100n, "platform fee");
    expect((slot1 >> 184n) & 0xffffn).to.equal(50n, "community fee");
    expect((slot1 >> 200n) & 0xffffn).to.equal(200n, "arbitration fee");
    expect((slot1 >> 216n) & 0xffffffffffn).to.equal(1n, "last job id");
  });
});
