import { expect } from "chai";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { BaseWallet, Interface, Signer, TypedDataDomain } from "ethers";
import type {
  BlocklistToken,
  MockERC3009Token,
  MockPermitToken,
} from "../typechain-types/index.js";
import {
  HOUR,
  ONE_ETH,
  Status,
  depositOf,
  escrowFixtures,
  expectedSplit,
  optionsOf,
  termsOf,
  type EscrowFixture,
  type JobParams,
  type ParamsInput,
} from "./helpers/escrow.js";
import {
  FORWARD_REQUEST_TYPE,
  PERMIT_TYPE,
  RECEIVE_TYPE,
  CANCEL_AUTHORIZATION_TYPE,
  escrowDomain,
  forwarderDomain,
  signBidRaw,
  signForwardRaw,
  vrs,
  type ForwardRequest,
} from "./helpers/signing.js";
import {
  RelayError,
  createJob as sdkCreateJob,
  relay,
  requestFromJson,
  requestToJson,
  signRequest,
  tokenSignatureSupport,
} from "../sdk/index.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;
const fx = escrowFixtures({ ethers, networkHelpers });
const chainId = (await ethers.provider.getNetwork()).chainId;
const ZERO = ethers.ZeroAddress;
const USDC = 10n ** 6n;

type Fixture = EscrowFixture & {
  /** a provider and a requester that hold no native coin at all */
  gaslessProvider: BaseWallet;
  gaslessRequester: BaseWallet;
  /** whoever pays the gas */
  relayer: HardhatEthersSigner;
  fwdDomain: TypedDataDomain;
  usdc: MockERC3009Token;
  permitToken: MockPermitToken;
};

async function gaslessSetup(): Promise<Fixture> {
  const f = await fx.deployEscrow();
  const gaslessProvider = ethers.Wallet.createRandom().connect(ethers.provider);
  const gaslessRequester = ethers.Wallet.createRandom().connect(ethers.provider);
  const usdc = (await ethers.deployContract("MockERC3009Token")) as unknown as MockERC3009Token;
  const permitToken = (await ethers.deployContract("MockPermitToken", [
    "Permit Dollar",
    "PUSD",
  ])) as unknown as MockPermitToken;
  await usdc.mint(gaslessRequester.address, 1_000_000n * USDC);
  await permitToken.mint(gaslessRequester.address, 1_000_000n * ONE_ETH);
  await permitToken.mint(f.requester.address, 1_000_000n * ONE_ETH);
  return {
    ...f,
    gaslessProvider,
    gaslessRequester,
    relayer: f.stranger,
    fwdDomain: await forwarderDomain(f.forwarder, chainId),
    usdc,
    permitToken,
  };
}

/** A request by `signer` to call the escrow, signed at its current forwarder nonce. */
async function request(
  f: Fixture,
  signer: Signer,
  data: string,
  opts: {
    value?: bigint;
    deadline?: bigint;
    to?: string;
    from?: string;
    domain?: TypedDataDomain;
    gas?: bigint;
  } = {},
) {
  const from = opts.from ?? (await signer.getAddress());
  const req: ForwardRequest = {
    from,
    to: opts.to ?? (await f.escrow.getAddress()),
    value: opts.value ?? 0n,
    gas: opts.gas ?? 1_000_000n,
    deadline: opts.deadline ?? BigInt(await time.latest()) + HOUR,
    data,
  };
  const nonce = await f.forwarder.nonces(from);
  return { ...(await signForwardRaw(signer, opts.domain ?? f.fwdDomain, req, nonce)), nonce };
}

/** Signs and relays (the relayer pays the gas and `value`); returns the transaction. */
async function relayed(f: Fixture, signer: Signer, data: string, value = 0n) {
  const r = await request(f, signer, data, { value });
  return f.forwarder.connect(f.relayer).execute(r, { value });
}

const call = (f: Fixture, fn: string, args: unknown[]) =>
  (f.escrow.interface as unknown as Interface).encodeFunctionData(fn, args);

async function params(f: Fixture, overrides: ParamsInput = {}): Promise<JobParams> {
  return fx.params(f, overrides);
}

/** keccak256(abi.encode(p, o)) of the terms and the options, computed here from the ABI (the nonce an
 * ERC-3009 authorization must carry). */
function expectedAuthorizationNonce(f: Fixture, p: JobParams): string {
  const [terms, options] = f.escrow.interface.getFunction("createJobWithOptions")!.inputs;
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode([terms, options], [termsOf(p), optionsOf(p)]),
  );
}

async function usdcDomain(f: Fixture): Promise<TypedDataDomain> {
  return { name: "USD Coin", version: "2", chainId, verifyingContract: await f.usdc.getAddress() };
}

/** A ReceiveWithAuthorization by the gasless requester paying the escrow for `p`. */
async function authorization(
  f: Fixture,
  p: JobParams,
  opts: {
    value?: bigint;
    validAfter?: bigint;
    validBefore?: bigint;
    nonce?: string;
    signer?: BaseWallet;
  } = {},
) {
  const auth = {
    from: f.gaslessRequester.address,
    to: await f.escrow.getAddress(),
    value: opts.value ?? BigInt(p.amount) + BigInt(p.keeperTip),
    validAfter: opts.validAfter ?? 0n,
    validBefore: opts.validBefore ?? BigInt(await time.latest()) + HOUR,
    nonce: opts.nonce ?? (await f.escrow.authorizationNonce(termsOf(p), optionsOf(p))),
  };
  const sig = vrs(
    await (opts.signer ?? f.gaslessRequester).signTypedData(
      await usdcDomain(f),
      RECEIVE_TYPE,
      auth,
    ),
  );
  return { auth, sig };
}

async function permitFor(f: Fixture, owner: Signer, value: bigint, deadline?: bigint) {
  const ownerAddress = await owner.getAddress();
  const d = await f.permitToken.eip712Domain();
  const domain = {
    name: d.name,
    version: d.version,
    chainId: d.chainId,
    verifyingContract: d.verifyingContract,
  };
  const permit = {
    owner: ownerAddress,
    spender: await f.escrow.getAddress(),
    value,
    nonce: await f.permitToken.nonces(ownerAddress),
    deadline: deadline ?? BigInt(await time.latest()) + HOUR,
  };
  return { permit, sig: vrs(await owner.signTypedData(domain, PERMIT_TYPE, permit)) };
}

/** `createJobWithPermit` of the job `p` (terms and options), sent by `from` with a `permitFor` permit. */
function createWithPermit(
  f: Fixture,
  from: Signer,
  p: JobParams,
  { permit, sig }: Awaited<ReturnType<typeof permitFor>>,
) {
  return f.escrow
    .connect(from)
    .createJobWithPermit(termsOf(p), optionsOf(p), permit.deadline, sig.v, sig.r, sig.s);
}

describe("Gasless use (ERC-2771 forwarder, ERC-3009, EIP-2612)", function () {
  describe("forwarded calls act for their signer", function () {
    it("a provider with no native coin accepts, submits and withdraws through a relayer", async function () {
      const f = await loadFixture(gaslessSetup);
      const P = f.gaslessProvider;
      const token = (await ethers.deployContract("BlocklistToken")) as unknown as BlocklistToken;
      await token.mint(f.requester, 1_000n * USDC);
      await token.connect(f.requester).approve(f.escrow, ethers.MaxUint256);
      const amount = 100n * USDC;
      const { id } = await fx.createJob(f, {
        provider: P.address,
        token: await token.getAddress(),
        amount,
      });
      expect(await ethers.provider.getBalance(P), "no native coin").to.equal(0n);

      const accept = relayed(f, P, call(f, "acceptJob", [id]));
      await expect(accept, "accepted as P")
        .to.emit(f.escrow, "JobAccepted")
        .withArgs(id, P.address);
      await expect(accept, "forwarder executed P's request")
        .to.emit(f.forwarder, "ExecutedForwardRequest")
        .withArgs(P.address, 0n, true);
      await expect(relayed(f, P, call(f, "submitWork", [id, ethers.id("out")])), "submitted as P")
        .to.emit(f.escrow, "WorkSubmitted")
        .withArgs(id, P.address, ethers.id("out"));

      // The push to P fails (P is blocklisted for a moment) and is credited; P withdraws it gaslessly.
      await token.setBlocked(P.address, true);
      const split = expectedSplit(amount, 10_000n, 0n);
      await expect(f.escrow.connect(f.requester).release(id), "credited")
        .to.emit(f.escrow, "Credited")
        .withArgs(id, await token.getAddress(), P.address, split.provider);
      await token.setBlocked(P.address, false);
      const withdraw = relayed(f, P, call(f, "withdraw", [await token.getAddress()]));
      await expect(withdraw, "withdrawn by P, to P")
        .to.emit(f.escrow, "Withdrawn")
        .withArgs(await token.getAddress(), P.address, P.address, split.provider);
      await expect(withdraw, "P is paid").to.changeTokenBalance(ethers, token, P, split.provider);
      expect(await ethers.provider.getBalance(P), "P never needed native coin").to.equal(0n);
      expect(await f.forwarder.nonces(P), "three requests used").to.equal(3n);
    });

    it("every call (create, accept, submit, dispute, evidence, offers, award, cancel, invalidate) acts for the signer, value paid by the relayer", async function () {
      const f = await loadFixture(gaslessSetup);
      const R = f.gaslessRequester;
      const P = f.gaslessProvider;
      const p = await params(f, { provider: P.address });
      await expect(relayed(f, R, call(f, "createJob", [termsOf(p)]), ONE_ETH), "created for R")
        .to.emit(f.escrow, "JobCreated")
        .withArgs(1n, R.address, P.address, ZERO, ONE_ETH, p.jobHash, p.arbitrator, [], () => true);
      await relayed(f, P, call(f, "acceptJob", [1n]));
      await relayed(f, P, call(f, "submitWork", [1n, ethers.id("r")]));
      const deposit = await depositOf(f.escrow, 1n);
      await expect(relayed(f, R, call(f, "raiseDispute", [1n, "late"]), deposit), "disputed by R")
        .to.emit(f.escrow, "DisputeRaised")
        .withArgs(1n, R.address, "late", deposit);
      await expect(relayed(f, P, call(f, "submitEvidence", [1n, "ipfs://e"])), "evidence by P")
        .to.emit(f.escrow, "EvidenceSubmitted")
        .withArgs(1n, P.address, "ipfs://e");
      await expect(relayed(f, P, call(f, "proposeSettlement", [1n, 6000])), "offer by P")
        .to.emit(f.escrow, "SettlementProposed")
        .withArgs(1n, P.address, 6000);
      await expect(relayed(f, R, call(f, "acceptSettlement", [1n, 6000])), "accepted by R").to.emit(
        f.escrow,
        "DisputeResolved",
      );
      expect((await f.escrow.getJob(1n)).status, "Resolved").to.equal(BigInt(Status.Resolved));

      // A bid job: R creates and awards, P cancels a second bid's nonce; R cancels another job.
      const open = await params(f, { provider: ZERO });
      await relayed(f, R, call(f, "createJob", [termsOf(open)]), ONE_ETH);
      const bid = {
        jobId: 2n,
        provider: P.address,
        price: ONE_ETH / 2n,
        expiry: BigInt(await time.latest()) + HOUR,
        nonce: 2n << 64n,
      };
      const sig = await signBidRaw(P, await escrowDomain(f.escrow, chainId), bid);
      await expect(relayed(f, R, call(f, "awardBid", [2n, bid, sig])), "awarded by R")
        .to.emit(f.escrow, "BidAwarded")
        .withArgs(2n, P.address, ONE_ETH / 2n, ONE_ETH / 2n, bid.nonce);
      await expect(relayed(f, P, call(f, "invalidateNonce", [7n])), "P's nonce")
        .to.emit(f.escrow, "BidNonceInvalidated")
        .withArgs(P.address, 7n, 7n << 64n);
      await relayed(f, R, call(f, "createJob", [termsOf(open)]), ONE_ETH);
      await expect(relayed(f, R, call(f, "cancelJob", [3n])), "cancelled by R")
        .to.emit(f.escrow, "JobCancelled")
        .withArgs(3n, R.address, ONE_ETH);
      // The refunds went to R, the signer, never to the relayer.
      expect(await ethers.provider.getBalance(R), "R got its refunds").to.be.greaterThan(0n);
    });

    it("appending an address to a direct call spoofs nothing: only the trusted forwarder's suffix counts", async function () {
      const f = await loadFixture(gaslessSetup);
      const { id } = await fx.createJob(f);
      const spoofed = ethers.concat([call(f, "cancelJob", [id]), f.requester.address]);
      await expect(
        f.stranger.sendTransaction({ to: f.escrow, data: spoofed }),
        "acts as the stranger",
      )
        .to.be.revertedWithCustomError(f.escrow, "WorkEscrowUnauthorized")
        .withArgs(id, f.stranger.address);
      expect(await f.escrow.isTrustedForwarder(f.forwarder), "the deployment's forwarder").to.equal(
        true,
      );
      expect(await f.escrow.trustedForwarder(), "fixed at construction").to.equal(
        await f.forwarder.getAddress(),
      );
    });
  });

  describe("refused forwarded requests: a clear custom error, nothing done", function () {
    async function submittable() {
      const f = await gaslessSetup();
      const { id } = await fx.createJob(f, { provider: f.gaslessProvider.address });
      const accept = await request(f, f.gaslessProvider, call(f, "acceptJob", [id]));
      await f.forwarder.connect(f.relayer).execute(accept);
      return { ...f, jobId: id, accept };
    }

    /** The address ECDSA recovers from `signature` over the request at `nonce`. */
    function recovered(
      f: Fixture,
      req: ForwardRequest,
      signature: string,
      nonce: bigint,
      domain = f.fwdDomain,
    ) {
      return ethers.recoverAddress(
        ethers.TypedDataEncoder.hash(domain, FORWARD_REQUEST_TYPE, { ...req, nonce }),
        signature,
      );
    }

    async function expectNothingDone(
      f: Fixture & { jobId: bigint },
      from: string,
      act: () => Promise<unknown>,
    ) {
      const before = {
        nonce: await f.forwarder.nonces(from),
        job: [...(await f.escrow.getJob(f.jobId))],
      };
      await act();
      expect(await f.forwarder.nonces(from), "forwarder nonce unchanged").to.equal(before.nonce);
      expect([...(await f.escrow.getJob(f.jobId))], "job unchanged").to.deep.equal(before.job);
    }

    it("replayed", async function () {
      const f = await loadFixture(submittable);
      const P = f.gaslessProvider.address;
      const nonce = await f.forwarder.nonces(P);
      const { accept } = f;
      await expectNothingDone(f, P, () =>
        expect(f.forwarder.connect(f.relayer).execute(accept), "replay")
          .to.be.revertedWithCustomError(f.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(recovered(f, accept, accept.signature, nonce), P),
      );
    });

    it("signed by someone other than `from`", async function () {
      const f = await loadFixture(submittable);
      const P = f.gaslessProvider.address;
      const r = await request(f, f.stranger, call(f, "submitWork", [f.jobId, ethers.id("x")]), {
        from: P,
      });
      await expectNothingDone(f, P, () =>
        expect(f.forwarder.connect(f.relayer).execute(r), "wrong signer")
          .to.be.revertedWithCustomError(f.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(f.stranger.address, P),
      );
    });

    it("tampered (data changed after signing)", async function () {
      const f = await loadFixture(submittable);
      const P = f.gaslessProvider.address;
      const r = await request(
        f,
        f.gaslessProvider,
        call(f, "submitWork", [f.jobId, ethers.id("x")]),
      );
      const tampered = { ...r, data: call(f, "submitWork", [f.jobId, ethers.id("y")]) };
      await expectNothingDone(f, P, () =>
        expect(f.forwarder.connect(f.relayer).execute(tampered), "tampered")
          .to.be.revertedWithCustomError(f.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(recovered(f, tampered, r.signature, r.nonce), P),
      );
    });

    it("signed for another chain", async function () {
      const f = await loadFixture(submittable);
      const P = f.gaslessProvider.address;
      const domain = { ...f.fwdDomain, chainId: chainId + 1n };
      const r = await request(
        f,
        f.gaslessProvider,
        call(f, "submitWork", [f.jobId, ethers.id("x")]),
        { domain },
      );
      await expectNothingDone(f, P, () =>
        expect(f.forwarder.connect(f.relayer).execute(r), "wrong chain")
          .to.be.revertedWithCustomError(f.forwarder, "ERC2771ForwarderInvalidSigner")
          .withArgs(recovered(f, r, r.signature, r.nonce), P),
      );
    });

    it("expired: valid up to and including its deadline, refused one second later", async function () {
      const f = await loadFixture(submittable);
      const P = f.gaslessProvider.address;
      const deadline = BigInt(await time.latest()) + 100n;
      const r = await request(
        f,
        f.gaslessProvider,
        call(f, "submitWork", [f.jobId, ethers.id("x")]),
        { deadline },
      );
      await time.setNextBlockTimestamp(deadline + 1n);
      await expectNothingDone(f, P, () =>
        expect(f.forwarder.connect(f.relayer).execute(r), "expired")
          .to.be.revertedWithCustomError(f.forwarder, "ERC2771ForwarderExpiredRequest")
          .withArgs(deadline),
      );
      const g = await loadFixture(submittable);
      const dl = BigInt(await time.latest()) + 100n;
      const r2 = await request(
        g,
        g.gaslessProvider,
        call(g, "submitWork", [g.jobId, ethers.id("x")]),
        { deadline: dl },
      );
      await time.setNextBlockTimestamp(dl);
      await expect(g.forwarder.connect(g.relayer).execute(r2), "at the deadline").to.emit(
        g.escrow,
        "WorkSubmitted",
      );
    });

    it("sent with a value other than the signed one", async function () {
      const f = await loadFixture(submittable);
      const r = await request(
        f,
        f.gaslessProvider,
        call(f, "submitWork", [f.jobId, ethers.id("x")]),
      );
      await expect(f.forwarder.connect(f.relayer).execute(r, { value: 1n }), "value mismatch")
        .to.be.revertedWithCustomError(f.forwarder, "ERC2771ForwarderMismatchedValue")
        .withArgs(0n, 1n);
    });

    it("to a contract that does not trust the forwarder", async function () {
      const f = await loadFixture(submittable);
      const r = await request(f, f.gaslessProvider, "0x", { to: await f.token.getAddress() });
      await expect(f.forwarder.connect(f.relayer).execute(r), "untrusted")
        .to.be.revertedWithCustomError(f.forwarder, "ERC2771UntrustfulTarget")
        .withArgs(await f.token.getAddress(), await f.forwarder.getAddress());
    });

    it("whose call reverts: the whole relay reverts (FailedCall) and the nonce is kept", async function () {
      const f = await loadFixture(submittable);
      const S = f.gaslessRequester.address; // not the job's provider
      const r = await request(
        f,
        f.gaslessRequester,
        call(f, "submitWork", [f.jobId, ethers.id("x")]),
      );
      await expectNothingDone(f, S, () =>
        expect(
          f.forwarder.connect(f.relayer).execute(r),
          "inner revert",
        ).to.be.revertedWithCustomError(f.forwarder, "FailedCall"),
      );
    });
  });

  describe("ERC-3009: createJobWithAuthorization (USDC-like)", function () {
    it("a requester with no native coin creates a job; someone else sends it and pays the gas", async function () {
      const f = await loadFixture(gaslessSetup);
      const R = f.gaslessRequester;
      const p = await params(f, {
        token: await f.usdc.getAddress(),
        amount: 1_000n * USDC,
        keeperTip: 5n * USDC,
      });
      expect(
        await f.escrow.authorizationNonce(termsOf(p), optionsOf(p)),
        "nonce = keccak256(abi.encode(p, o))",
      ).to.equal(expectedAuthorizationNonce(f, p));
      const { auth, sig } = await authorization(f, p);
      const tx = f.escrow
        .connect(f.relayer)
        .createJobWithAuthorization(
          termsOf(p),
          optionsOf(p),
          R.address,
          auth.validAfter,
          auth.validBefore,
          sig.v,
          sig.r,
          sig.s,
        );
      await expect(tx, "R is the requester")
        .to.emit(f.escrow, "JobCreated")
        .withArgs(
          1n,
          R.address,
          f.provider.address,
          await f.usdc.getAddress(),
          1_000n * USDC,
          p.jobHash,
          p.arbitrator,
          [],
          () => true,
        );
      await expect(tx, "with its tip")
        .to.emit(f.escrow, "JobOptionsSet")
        .withArgs(1n, 0n, 5n * USDC, ZERO, 0, false, false, 0n);
      await expect(tx, "the authorization was used")
        .to.emit(f.usdc, "AuthorizationUsed")
        .withArgs(R.address, auth.nonce);
      await expect(tx, "amount + tip moved").to.changeTokenBalances(
        ethers,
        f.usdc,
        [R, f.escrow],
        [-auth.value, auth.value],
      );
      expect(await f.usdc.authorizationState(R.address, auth.nonce), "used").to.equal(true);
      expect(await ethers.provider.getBalance(R), "R spent no native coin").to.equal(0n);
      const job = await f.escrow.getJob(1n);
      expect([job.requester, job.amount, job.keeperTip], "job").to.deep.equal([
        R.address,
        1_000n * USDC,
        5n * USDC,
      ]);
      // R can then act gaslessly too: cancel through the forwarder, the money comes back to R.
      await expect(relayed(f, R, call(f, "cancelJob", [1n])), "cancelled").to.changeTokenBalance(
        ethers,
        f.usdc,
        R,
        auth.value,
      );
    });

    describe("refusals (nothing moved)", function () {
      async function expectRefused(f: Fixture, act: () => Promise<unknown>) {
        const before = [await f.usdc.balanceOf(f.gaslessRequester), await f.escrow.jobCount()];
        await act();
        expect(
          [await f.usdc.balanceOf(f.gaslessRequester), await f.escrow.jobCount()],
          "nothing moved",
        ).to.deep.equal(before);
      }
      const send = (f: Fixture, p: JobParams, a: Awaited<ReturnType<typeof authorization>>) =>
        f.escrow
          .connect(f.relayer)
          .createJobWithAuthorization(
            termsOf(p),
            optionsOf(p),
            f.gaslessRequester.address,
            a.auth.validAfter,
            a.auth.validBefore,
            a.sig.v,
            a.sig.r,
            a.sig.s,
          );

      it("replayed: the authorization's nonce is used", async function () {
        const f = await loadFixture(gaslessSetup);
        const p = await params(f, { token: await f.usdc.getAddress(), amount: 100n * USDC });
        const a = await authorization(f, p);
        await send(f, p, a);
        await expectRefused(f, () =>
          expect(send(f, p, a), "replay").to.be.revertedWith(
            "FiatTokenV2: authorization is used or canceled",
          ),
        );
      });

      it("a term changed by the sender (the nonce commits to every term)", async function () {
        const f = await loadFixture(gaslessSetup);
        const p = await params(f, { token: await f.usdc.getAddress(), amount: 100n * USDC });
        const a = await authorization(f, p);
        for (const changed of [
          { provider: f.stranger.address },
          { arbitrator: f.arbitrator.address, deadline: BigInt(p.deadline) + 1n },
        ]) {
          const q = { ...p, ...changed };
          await expectRefused(f, () =>
            expect(send(f, q, a), "changed terms").to.be.revertedWith(
              "FiatTokenV2: invalid signature",
            ),
          );
        }
      });

      it("an optional term changed by the sender (the nonce commits to the options too)", async function () {
        const f = await loadFixture(gaslessSetup);
        const token = await f.usdc.getAddress();
        const p = await params(f, { token, amount: 100n * USDC, keeperTip: USDC });
        const nonce = await f.escrow.authorizationNonce(termsOf(p), optionsOf(p));
        expect(nonce, "another nonce than the same terms without options").not.to.equal(
          await f.escrow.authorizationNonce(termsOf(p), { ...optionsOf(p), keeperTip: 0n }),
        );
        const a = await authorization(f, p);
        expect(a.auth.nonce, "signed over the options").to.equal(nonce);
        // The same value (amount + tip) moves in every case: only the nonce tells the options apart.
        for (const changed of [
          { providerBond: 1n },
          { verifier: f.other.address },
          { verifier: f.other.address, verifierFeeBps: 100 },
          { keeperTip: 2n * USDC, amount: 99n * USDC },
        ]) {
          const q = { ...p, ...changed };
          expect(BigInt(q.amount) + BigInt(q.keeperTip), "same value").to.equal(a.auth.value);
          await expectRefused(f, () =>
            expect(send(f, q, a), `changed ${Object.keys(changed).join(", ")}`).to.be.revertedWith(
              "FiatTokenV2: invalid signature",
            ),
          );
        }
        // Signed without options, sent with options that add nothing to the value: refused too.
        const plain = await params(f, { token, amount: 100n * USDC, jobHash: ethers.id("plain") });
        const b = await authorization(f, plain);
        await expectRefused(f, () =>
          expect(send(f, { ...plain, providerBond: 1n }, b), "options added").to.be.revertedWith(
            "FiatTokenV2: invalid signature",
          ),
        );
        // The signed options themselves are accepted.
        await expect(send(f, p, a), "as signed")
          .to.emit(f.escrow, "JobOptionsSet")
          .withArgs(1n, 0n, USDC, ZERO, 0, false, false, 0n);
        await expect(send(f, plain, b), "as signed, no options").not.to.emit(
          f.escrow,
          "JobOptionsSet",
        );
        expect((await f.escrow.getJob(2n)).keeperTip, "plain job").to.equal(0n);
      });

      it("a value other than amount + tip", async function () {
        const f = await loadFixture(gaslessSetup);
        const p = await params(f, {
          token: await f.usdc.getAddress(),
          amount: 100n * USDC,
          keeperTip: USDC,
        });
        const a = await authorization(f, p, { value: 100n * USDC });
        await expectRefused(f, () =>
          expect(send(f, p, a), "value").to.be.revertedWith("FiatTokenV2: invalid signature"),
        );
      });

      it("signed by someone else than `from`", async function () {
        const f = await loadFixture(gaslessSetup);
        const p = await params(f, { token: await f.usdc.getAddress(), amount: 100n * USDC });
        const a = await authorization(f, p, { signer: f.gaslessProvider });
        await expectRefused(f, () =>
          expect(send(f, p, a), "signer").to.be.revertedWith("FiatTokenV2: invalid signature"),
        );
      });

      it("cancelled by the requester (cancelAuthorization)", async function () {
        const f = await loadFixture(gaslessSetup);
        const p = await params(f, { token: await f.usdc.getAddress(), amount: 100n * USDC });
        const a = await authorization(f, p);
        const cancel = vrs(
          await f.gaslessRequester.signTypedData(await usdcDomain(f), CANCEL_AUTHORIZATION_TYPE, {
            authorizer: f.gaslessRequester.address,
            nonce: a.auth.nonce,
          }),
        );
        await expect(
          f.usdc
            .connect(f.relayer)
            .cancelAuthorization(
              f.gaslessRequester.address,
              a.auth.nonce,
              cancel.v,
              cancel.r,
              cancel.s,
            ),
          "cancelled",
        )
          .to.emit(f.usdc, "AuthorizationCanceled")
          .withArgs(f.gaslessRequester.address, a.auth.nonce);
        await expectRefused(f, () =>
          expect(send(f, p, a), "cancelled").to.be.revertedWith(
            "FiatTokenV2: authorization is used or canceled",
          ),
        );
      });

      it("strict window: refused at validBefore and at validAfter, accepted one second inside each", async function () {
        const f = await loadFixture(gaslessSetup);
        const p = await params(f, { token: await f.usdc.getAddress(), amount: 100n * USDC });
        const now = BigInt(await time.latest());
        const a = await authorization(f, p, { validAfter: now + 100n, validBefore: now + 200n });
        await time.setNextBlockTimestamp(now + 100n);
        await expectRefused(f, () =>
          expect(send(f, p, a), "at validAfter").to.be.revertedWith(
            "FiatTokenV2: authorization is not yet valid",
          ),
        );
        await time.setNextBlockTimestamp(now + 200n);
        await expectRefused(f, () =>
          expect(send(f, p, a), "at validBefore").to.be.revertedWith(
            "FiatTokenV2: authorization is expired",
          ),
        );

        const g = await loadFixture(gaslessSetup);
        const q = await params(g, { token: await g.usdc.getAddress(), amount: 100n * USDC });
        const t = BigInt(await time.latest());
        const b = await authorization(g, q, { validAfter: t + 100n, validBefore: t + 200n });
        await time.setNextBlockTimestamp(t + 101n);
        await expect(send(g, q, b), "just after validAfter").to.emit(g.escrow, "JobCreated");
        const q2 = { ...q, jobHash: ethers.id("another") };
        const b2 = await authorization(g, q2, { validAfter: t + 100n, validBefore: t + 200n });
        await time.setNextBlockTimestamp(t + 199n);
        await expect(send(g, q2, b2), "just before validBefore").to.emit(g.escrow, "JobCreated");
      });

      it("the token lets only the payee (the escrow) receive with the authorization", async function () {
        const f = await loadFixture(gaslessSetup);
        const p = await params(f, { token: await f.usdc.getAddress(), amount: 100n * USDC });
        const a = await authorization(f, p);
        await expectRefused(f, () =>
          expect(
            f.usdc
              .connect(f.relayer)
              .receiveWithAuthorization(
                a.auth.from,
                a.auth.to,
                a.auth.value,
                a.auth.validAfter,
                a.auth.validBefore,
                a.auth.nonce,
                a.sig.v,
                a.sig.r,
                a.sig.s,
              ),
            "front-run by someone else",
          ).to.be.revertedWith("FiatTokenV2: caller must be the payee"),
        );
      });

      it("native coin cannot be funded by authorization", async function () {
        const f = await loadFixture(gaslessSetup);
        const p = await params(f);
        const a = await authorization(f, { ...p, token: await f.usdc.getAddress() });
        await expect(send(f, p, a), "native").to.be.revertedWithCustomError(
          f.escrow,
          "WorkEscrowZeroAddress",
        );
      });
    });
  });

  describe("EIP-2612: createJobWithPermit", function () {
    it("the native coin cannot be funded by a permit", async function () {
      const f = await loadFixture(gaslessSetup);
      const p = await params(f);
      const signed = await permitFor(f, f.requester, BigInt(p.amount));
      await expect(
        createWithPermit(f, f.requester, p, signed),
        "native",
      ).to.be.revertedWithCustomError(f.escrow, "WorkEscrowZeroAddress");
      expect(await f.escrow.jobCount(), "no job").to.equal(0n);
    });

    it("creates and funds a job in one transaction; the permit's allowance is used up", async function () {
      const f = await loadFixture(gaslessSetup);
      const p = await params(f, {
        token: await f.permitToken.getAddress(),
        amount: 500n * ONE_ETH,
      });
      const { permit, sig } = await permitFor(f, f.requester, 500n * ONE_ETH);
      const tx = createWithPermit(f, f.requester, p, { permit, sig });
      await expect(tx, "created")
        .to.emit(f.escrow, "JobCreated")
        .withArgs(
          1n,
          f.requester.address,
          f.provider.address,
          await f.permitToken.getAddress(),
          500n * ONE_ETH,
          p.jobHash,
          p.arbitrator,
          [],
          () => true,
        );
      await expect(tx, "funded").to.changeTokenBalances(
        ethers,
        f.permitToken,
        [f.requester, f.escrow],
        [-500n * ONE_ETH, 500n * ONE_ETH],
      );
      expect(await f.permitToken.allowance(f.requester, f.escrow), "no allowance left").to.equal(
        0n,
      );
      expect(await f.permitToken.nonces(f.requester), "permit nonce used").to.equal(1n);
    });

    it("with options: the permit covers amount + tip, JobOptionsSet carries them; all-zero options make a plain job", async function () {
      const f = await loadFixture(gaslessSetup);
      const token = await f.permitToken.getAddress();
      const p = await params(f, {
        token,
        amount: 500n * ONE_ETH,
        providerBond: 50n * ONE_ETH,
        keeperTip: ONE_ETH,
      });
      const short = await permitFor(f, f.requester, 500n * ONE_ETH);
      await expect(createWithPermit(f, f.requester, p, short), "a permit without the tip")
        .to.be.revertedWithCustomError(f.permitToken, "ERC20InsufficientAllowance")
        .withArgs(await f.escrow.getAddress(), 0n, 501n * ONE_ETH);
      const { permit, sig } = await permitFor(f, f.requester, 501n * ONE_ETH);
      const tx = createWithPermit(f, f.requester, p, { permit, sig });
      await expect(tx, "options")
        .to.emit(f.escrow, "JobOptionsSet")
        .withArgs(1n, 50n * ONE_ETH, ONE_ETH, ZERO, 0, false, false, 0n);
      await expect(tx, "amount + tip moved").to.changeTokenBalances(
        ethers,
        f.permitToken,
        [f.requester, f.escrow],
        [-501n * ONE_ETH, 501n * ONE_ETH],
      );
      const job = await f.escrow.getJob(1n);
      expect([job.amount, job.providerBond, job.keeperTip], "stored").to.deep.equal([
        500n * ONE_ETH,
        50n * ONE_ETH,
        ONE_ETH,
      ]);

      const plain = await params(f, { token, amount: 500n * ONE_ETH });
      const second = await permitFor(f, f.requester, 500n * ONE_ETH);
      const plainTx = createWithPermit(f, f.requester, plain, second);
      await expect(plainTx, "created").to.emit(f.escrow, "JobCreated");
      await expect(plainTx, "all-zero options").not.to.emit(f.escrow, "JobOptionsSet");
      const stored = await f.escrow.getJob(2n);
      expect([stored.providerBond, stored.keeperTip], "no options").to.deep.equal([0n, 0n]);
    });

    it("a front-run permit still creates the job, through the allowance it set", async function () {
      const f = await loadFixture(gaslessSetup);
      const p = await params(f, {
        token: await f.permitToken.getAddress(),
        amount: 500n * ONE_ETH,
      });
      const { permit, sig } = await permitFor(f, f.requester, 500n * ONE_ETH);
      await f.permitToken
        .connect(f.stranger)
        .permit(permit.owner, permit.spender, permit.value, permit.deadline, sig.v, sig.r, sig.s);
      await expect(createWithPermit(f, f.requester, p, { permit, sig }), "still created")
        .to.emit(f.escrow, "JobCreated")
        .withArgs(
          1n,
          f.requester.address,
          f.provider.address,
          await f.permitToken.getAddress(),
          500n * ONE_ETH,
          p.jobHash,
          p.arbitrator,
          [],
          () => true,
        );
    });

    it("someone else cannot spend a requester's permit: the caller is the permit's owner", async function () {
      const f = await loadFixture(gaslessSetup);
      const p = await params(f, {
        token: await f.permitToken.getAddress(),
        amount: 500n * ONE_ETH,
      });
      const { permit, sig } = await permitFor(f, f.requester, 500n * ONE_ETH);
      await expect(createWithPermit(f, f.stranger, p, { permit, sig }), "stranger")
        .to.be.revertedWithCustomError(f.permitToken, "ERC20InsufficientAllowance")
        .withArgs(await f.escrow.getAddress(), 0n, 500n * ONE_ETH);
      expect(await f.permitToken.nonces(f.requester), "permit unused").to.equal(0n);
    });

    it("a bad or expired permit without allowance creates nothing", async function () {
      const f = await loadFixture(gaslessSetup);
      const p = await params(f, {
        token: await f.permitToken.getAddress(),
        amount: 500n * ONE_ETH,
      });
      const low = await permitFor(f, f.requester, 499n * ONE_ETH);
      await expect(createWithPermit(f, f.requester, p, low), "permit for less")
        .to.be.revertedWithCustomError(f.permitToken, "ERC20InsufficientAllowance")
        .withArgs(await f.escrow.getAddress(), 0n, 500n * ONE_ETH);
      const now = BigInt(await time.latest());
      const old = await permitFor(f, f.requester, 500n * ONE_ETH, now + 10n);
      await time.increaseTo(now + 11n);
      await expect(
        createWithPermit(f, f.requester, p, old),
        "expired permit",
      ).to.be.revertedWithCustomError(f.permitToken, "ERC20InsufficientAllowance");
      expect(await f.escrow.jobCount(), "no job").to.equal(0n);
    });

    it("a requester with no native coin: permit and request signed, relayed by someone else", async function () {
      const f = await loadFixture(gaslessSetup);
      const R = f.gaslessRequester;
      const p = await params(f, {
        token: await f.permitToken.getAddress(),
        amount: 500n * ONE_ETH,
      });
      const { permit, sig } = await permitFor(f, R, 500n * ONE_ETH);
      const tx = relayed(
        f,
        R,
        call(f, "createJobWithPermit", [
          termsOf(p),
          optionsOf(p),
          permit.deadline,
          sig.v,
          sig.r,
          sig.s,
        ]),
      );
      await expect(tx, "R is the requester")
        .to.emit(f.escrow, "JobCreated")
        .withArgs(
          1n,
          R.address,
          f.provider.address,
          await f.permitToken.getAddress(),
          500n * ONE_ETH,
          p.jobHash,
          p.arbitrator,
          [],
          () => true,
        );
      expect(await ethers.provider.getBalance(R), "no native coin").to.equal(0n);
    });
  });

  describe("SDK: signRequest / relay / createJob", function () {
    it("signRequest + relay: a gasless provider submits; refusals are RelayErrors and nothing is sent", async function () {
      const f = await loadFixture(gaslessSetup);
      const P = f.gaslessProvider;
      const { id } = await fx.createJob(f, { provider: P.address });
      const escrowAddress = await f.escrow.getAddress();
      const accept = await signRequest(f.forwarder, P, {
        to: escrowAddress,
        data: call(f, "acceptJob", [id]),
      });
      expect(requestFromJson(requestToJson(accept)), "JSON round trip").to.deep.equal(accept);
      const accepted = await relay(f.forwarder.connect(f.relayer), accept);
      expect(
        accepted.events.map((e) => e.name),
        "accepted",
      ).to.deep.equal(["JobAccepted"]);

      const codeOf = async (p: Promise<unknown>) => {
        try {
          await p;
        } catch (err) {
          expect(err, "a RelayError").to.be.instanceOf(RelayError);
          return (err as RelayError).code;
        }
        return "none";
      };
      expect(await codeOf(relay(f.forwarder.connect(f.relayer), accept)), "replay").to.equal(
        "replayed",
      );
      // A call that would revert is refused at signing, with the escrow's own error.
      const err = await signRequest(f.forwarder, f.gaslessRequester, {
        to: escrowAddress,
        data: call(f, "submitWork", [id, ethers.id("x")]),
      }).catch((e) => e);
      expect(err, "refused at signing").to.be.instanceOf(RelayError);
      expect((err as RelayError).decoded?.name, "decoded").to.equal("WorkEscrowUnauthorized");

      const submit = await signRequest(f.forwarder, P, {
        to: escrowAddress,
        data: call(f, "submitWork", [id, ethers.id("x")]),
      });
      const forged = {
        ...submit,
        request: { ...submit.request, data: call(f, "submitWork", [id, ethers.id("y")]) },
      };
      expect(await codeOf(relay(f.forwarder.connect(f.relayer), forged)), "wrong signer").to.equal(
        "bad-signature",
      );
      expect(
        await codeOf(relay(f.forwarder.connect(f.relayer), { ...submit, chainId: chainId + 1n })),
        "wrong chain",
      ).to.equal("wrong-chain");
      const expiring = await signRequest(f.forwarder, P, {
        to: escrowAddress,
        data: call(f, "submitWork", [id, ethers.id("x")]),
        deadline: BigInt(await time.latest()) + 5n,
      });
      await time.increase(10);
      expect(await codeOf(relay(f.forwarder.connect(f.relayer), expiring)), "expired").to.equal(
        "expired",
      );
      const submitted = await relay(
        f.forwarder.connect(f.relayer),
        await signRequest(f.forwarder, P, {
          to: escrowAddress,
          data: call(f, "submitWork", [id, ethers.id("x")]),
        }),
      );
      expect(
        submitted.events.map((e) => e.name),
        "submitted",
      ).to.deep.equal(["WorkSubmitted"]);
      // The job moved on: an old, still signed request now fails in the escrow, decoded before sending.
      expect(
        await codeOf(
          relay(
            f.forwarder.connect(f.relayer),
            await signRequest(f.forwarder, P, {
              to: escrowAddress,
              data: call(f, "acceptJob", [id]),
              gas: 200_000n,
            }),
          ),
        ),
        "call reverts",
      ).to.equal("call-reverts");
      expect(await ethers.provider.getBalance(P), "P paid nothing").to.equal(0n);
    });

    it("tokenSignatureSupport probes ERC-3009 (no EIP-5267: name/version matched to DOMAIN_SEPARATOR) and EIP-2612 (EIP-5267)", async function () {
      const f = await loadFixture(gaslessSetup);
      const owner = f.gaslessRequester.address;
      const usdc = await tokenSignatureSupport(await f.usdc.getAddress(), ethers.provider, owner);
      expect(
        [usdc.authorization, usdc.permit, usdc.domain?.name, usdc.domain?.version],
        "USDC-like",
      ).to.deep.equal([true, false, "USD Coin", "2"]);
      const permit = await tokenSignatureSupport(
        await f.permitToken.getAddress(),
        ethers.provider,
        owner,
      );
      expect(
        [permit.authorization, permit.permit, permit.domain?.name, permit.domain?.version],
        "ERC20Permit",
      ).to.deep.equal([false, true, "Permit Dollar", "1"]);
      const plain = await tokenSignatureSupport(await f.token.getAddress(), ethers.provider, owner);
      expect([plain.authorization, plain.permit], "plain ERC-20").to.deep.equal([false, false]);
    });

    it("createJob picks authorization, permit, allowance, approve or native", async function () {
      const f = await loadFixture(gaslessSetup);
      const R = f.gaslessRequester;
      const viaAuth = await sdkCreateJob(
        f.escrow,
        R,
        await params(f, { token: await f.usdc.getAddress(), amount: 10n * USDC }),
        { relayer: f.relayer },
      );
      expect(
        [viaAuth.method, (await f.escrow.getJob(viaAuth.jobId)).requester],
        "ERC-3009, relayed",
      ).to.deep.equal(["authorization", R.address]);
      const viaPermit = await sdkCreateJob(
        f.escrow,
        R,
        await params(f, { token: await f.permitToken.getAddress(), amount: ONE_ETH }),
        { relayer: f.relayer, forwarder: f.forwarder },
      );
      expect(
        [viaPermit.method, (await f.escrow.getJob(viaPermit.jobId)).requester],
        "EIP-2612, relayed",
      ).to.deep.equal(["permit", R.address]);
      expect(await ethers.provider.getBalance(R), "R paid no gas").to.equal(0n);

      const plain = await params(f, { token: await f.token.getAddress(), amount: ONE_ETH });
      expect(
        (await sdkCreateJob(f.escrow, f.requester, plain)).method,
        "fixture approved the escrow",
      ).to.equal("allowance");
      await f.token.connect(f.requester).approve(f.escrow, 0n);
      expect(
        (await sdkCreateJob(f.escrow, f.requester, plain)).method,
        "no signed funding",
      ).to.equal("approve");
      expect(
        (await sdkCreateJob(f.escrow, f.requester, await params(f))).method,
        "native",
      ).to.equal("native");
      expect(
        (
          await sdkCreateJob(
            f.escrow,
            f.requester,
            await params(f, { token: await f.permitToken.getAddress(), amount: ONE_ETH }),
          )
        ).method,
        "permit, own gas",
      ).to.equal("permit");
    });
  });
});
