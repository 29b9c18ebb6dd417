import { expect } from "chai";
import { network } from "hardhat";
import { DAY, HOUR, MIN_WORK_TIME, escrowFixtures } from "./helpers/escrow.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });

describe("WorkEscrow admin", function () {
  it("constructor (v2: config + extension): sets every InitialConfig field, with the setters' events and checks", async function () {
    const [a, b, c, arb1, arb2, fwd] = await ethers.getSigners();
    const extension = await ethers.deployContract("WorkEscrowExtension", [
      fwd.address,
      ethers.ZeroAddress,
    ]);
    const factory = await ethers.getContractFactory("WorkEscrow");
    const token = await ethers.deployContract("MockERC20", ["Six", "SIX", 6]);
    const config = {
      admin: a.address,
      treasury: b.address,
      communityFund: c.address,
      platformFeeBps: 100,
      communityFeeBps: 50,
      arbitrationFeeBps: 200,
      arbitrators: [
        { arbitrator: arb1.address, arbitrationPeriod: 0 },
        { arbitrator: arb2.address, arbitrationPeriod: 3n * DAY },
      ],
      minAmounts: [
        { token: ethers.ZeroAddress, minAmount: 10n ** 15n },
        { token: await token.getAddress(), minAmount: 1_000_000n },
      ],
    };
    const with_ = (patch: Partial<typeof config>) =>
      factory.deploy({ ...config, ...patch }, extension);
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
    await expect(
      with_({ arbitrators: [{ arbitrator: ethers.ZeroAddress, arbitrationPeriod: 0 }] }),
    ).to.be.revertedWithCustomError(factory, "WorkEscrowZeroAddress");
    await expect(
      with_({ arbitrators: [{ arbitrator: arb1.address, arbitrationPeriod: DAY - 1n }] }),
    )
      .to.be.revertedWithCustomError(factory, "WorkEscrowInvalidArbitrationPeriod")
      .withArgs(DAY - 1n, DAY, 90n * DAY);
    await expect(with_({ platformFeeBps: 1001 }))
      .to.be.revertedWithCustomError(factory, "WorkEscrowFeeTooHigh")
      .withArgs(1001, 50, 200);
    await expect(
      with_({ minAmounts: [{ token: ethers.ZeroAddress, minAmount: 2n ** 128n }] }),
    ).to.be.revertedWithCustomError(factory, "WorkEscrowAmountTooLarge");

    const core = await with_({});
    const escrow = await ethers.getContractAt("IWorkEscrow", await core.getAddress());
    const deployTx = core.deploymentTransaction()!;
    await expect(deployTx).to.emit(escrow, "FeesUpdated").withArgs(100, 50, 200);
    await expect(deployTx)
      .to.emit(escrow, "FeeRecipientsUpdated")
      .withArgs(1, b.address, c.address);
    await expect(deployTx)
      .to.emit(escrow, "ArbitratorUpdated")
      .withArgs(arb1.address, true, 7n * DAY);
    await expect(deployTx)
      .to.emit(escrow, "ArbitratorUpdated")
      .withArgs(arb2.address, true, 3n * DAY);
    await expect(deployTx)
      .to.emit(escrow, "MinAmountUpdated")
      .withArgs(await token.getAddress(), 1_000_000n);
    expect(await escrow.owner()).to.equal(a.address);
    expect(await escrow.treasury()).to.equal(b.address);
    expect(await escrow.communityFund()).to.equal(c.address);
    expect(await escrow.feeEpoch()).to.equal(1n);
    expect([
      await escrow.platformFeeBps(),
      await escrow.communityFeeBps(),
      await escrow.arbitrationFeeBps(),
    ]).to.deep.equal([100n, 50n, 200n]);
    expect(await escrow.arbitratorInfo(arb1.address)).to.deep.equal([true, 7n * DAY]);
    expect(await escrow.arbitratorInfo(arb2.address)).to.deep.equal([true, 3n * DAY]);
    expect(await escrow.minAmount(ethers.ZeroAddress)).to.equal(10n ** 15n);
    expect(await escrow.minAmount(await token.getAddress())).to.equal(1_000_000n);
    // v2: the forwarder and the identity registry come from the extension
    expect(await escrow.extension()).to.equal(await extension.getAddress());
    expect(await escrow.trustedForwarder()).to.equal(fwd.address);
    expect(await escrow.isTrustedForwarder(fwd.address)).to.equal(true);
    expect(await escrow.identityRegistry()).to.equal(ethers.ZeroAddress);

    const bare = await ethers.getContractAt(
      "IWorkEscrow",
      await (
        await with_({ arbitrators: [], minAmounts: [], platformFeeBps: 0, communityFeeBps: 0 })
      ).getAddress(),
    );
    expect(await bare.platformFeeBps()).to.equal(0n);
    expect(await bare.isArbitrator(arb1.address)).to.equal(false);
  });

  it("exposes the documented bounds (v2: per-arbitrator periods, MIN_WORK_TIME, verifier fee cap, push stipends)", async function () {
    const { escrow } = await loadFixture(fx.deployEscrow);
    expect(await escrow.MAX_APPROVERS()).to.equal(16n);
    expect(await escrow.MIN_REVIEW()).to.equal(HOUR);
    expect(await escrow.MAX_REVIEW()).to.equal(30n * DAY);
    expect(await escrow.MAX_DURATION()).to.equal(365n * DAY);
    expect(await escrow.MIN_WORK_TIME()).to.equal(MIN_WORK_TIME);
    expect(await escrow.DEFAULT_ARBITRATION_PERIOD()).to.equal(7n * DAY);
    expect(await escrow.MIN_ARBITRATION_PERIOD()).to.equal(DAY);
    expect(await escrow.MAX_ARBITRATION_PERIOD()).to.equal(90n * DAY);
    expect(await escrow.MAX_PLATFORM_FEE_BPS()).to.equal(1000n);
    expect(await escrow.MAX_COMMUNITY_FEE_BPS()).to.equal(500n);
    expect(await escrow.MAX_ARBITRATION_FEE_BPS()).to.equal(1000n);
    expect(await escrow.MAX_VERIFIER_FEE_BPS()).to.equal(1000n);
    expect(await escrow.PUSH_GAS_LIMIT()).to.equal(50_000n);
    expect(await escrow.ERC20_PUSH_GAS_LIMIT()).to.equal(100_000n);
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
    const { escrow, core, stranger } = await loadFixture(fx.deployEscrow);
    const s = escrow.connect(stranger);
    const calls = [
      () => s.setFees(1, 1, 1),
      () => s.setFeeRecipients(stranger.address, stranger.address),
      () => s.setArbitrator(stranger.address, true, 0),
      () => s.setMinAmount(ethers.ZeroAddress, 1),
      () => s.pause(),
      () => s.unpause(),
      () => s.transferOwnership(stranger.address),
      () => s.renounceOwnership(),
    ];
    for (const call of calls) {
      await expect(call())
        .to.be.revertedWithCustomError(core, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    }
  });

  it("ownership is two-step and cannot be renounced", async function () {
    const { escrow, core, admin, other } = await loadFixture(fx.deployEscrow);
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
      core,
      "OwnableUnauthorizedAccount",
    );
  });

  it("setFeeRecipients rejects zero addresses, starts a new fee epoch and emits it", async function () {
    const { escrow, other, stranger, treasury } = await loadFixture(fx.deployEscrow);
    await expect(
      escrow.setFeeRecipients(ethers.ZeroAddress, other.address),
    ).to.be.revertedWithCustomError(escrow, "WorkEscrowZeroAddress");
    await expect(
      escrow.setFeeRecipients(other.address, ethers.ZeroAddress),
    ).to.be.revertedWithCustomError(escrow, "WorkEscrowZeroAddress");
    expect(await escrow.feeEpoch()).to.equal(1n);
    await expect(escrow.setFeeRecipients(other.address, stranger.address))
      .to.emit(escrow, "FeeRecipientsUpdated")
      .withArgs(2, other.address, stranger.address);
    expect(await escrow.feeEpoch()).to.equal(2n);
    expect(await escrow.treasury()).to.equal(other.address);
    expect(await escrow.communityFund()).to.equal(stranger.address);
    await expect(escrow.setFeeRecipients(treasury.address, treasury.address))
      .to.emit(escrow, "FeeRecipientsUpdated")
      .withArgs(3, treasury.address, treasury.address);
  });

  it("setArbitrator registers (v2: with a period), unregisters and re-registers; rejects zero", async function () {
    const { escrow, stranger } = await loadFixture(fx.deployEscrow);
    await expect(escrow.setArbitrator(ethers.ZeroAddress, true, 0)).to.be.revertedWithCustomError(
      escrow,
      "WorkEscrowZeroAddress",
    );
    await expect(escrow.setArbitrator(stranger.address, true, 2n * DAY))
      .to.emit(escrow, "ArbitratorUpdated")
      .withArgs(stranger.address, true, 2n * DAY);
    expect(await escrow.isArbitrator(stranger.address)).to.equal(true);
    await expect(escrow.setArbitrator(stranger.address, false, 0))
      .to.emit(escrow, "ArbitratorUpdated")
      .withArgs(stranger.address, false, 7n * DAY);
    expect(await escrow.isArbitrator(stranger.address)).to.equal(false);
    await escrow.setArbitrator(stranger.address, true, 5n * DAY);
    expect(await escrow.arbitratorInfo(stranger.address)).to.deep.equal([true, 5n * DAY]);
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
    await escrow.setMinAmount(token, 2n ** 128n - 1n);
    expect(await escrow.minAmount(token)).to.equal(2n ** 128n - 1n);
  });

  it("pause/unpause emit and only gate creation", async function () {
    const { escrow, core, admin } = await loadFixture(fx.deployEscrow);
    await expect(escrow.pause()).to.emit(core, "Paused").withArgs(admin.address);
    expect(await escrow.paused()).to.equal(true);
    await expect(escrow.pause()).to.be.revertedWithCustomError(core, "EnforcedPause");
    await expect(escrow.unpause()).to.emit(core, "Unpaused").withArgs(admin.address);
    await expect(escrow.unpause()).to.be.revertedWithCustomError(core, "ExpectedPause");
  });

  it("v2: the extension called directly owns itself and holds nothing: nobody can administer it", async function () {
    const { escrow, extension, admin } = await loadFixture(fx.deployEscrow);
    const direct = await ethers.getContractAt("WorkEscrowExtension", extension);
    expect(await direct.owner()).to.equal(extension);
    expect(await direct.extension()).to.equal(extension);
    await expect(direct.connect(admin).setFees(0, 0, 0))
      .to.be.revertedWithCustomError(direct, "OwnableUnauthorizedAccount")
      .withArgs(admin.address);
    expect(await direct.jobCount()).to.equal(0n);
    expect(await escrow.extension()).to.equal(extension);
  });
});
