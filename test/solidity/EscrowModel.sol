// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWorkEscrowTypes} from "../../contracts/interfaces/IWorkEscrowTypes.sol";

/// @notice The spec's money rules (SPEC.md "Money", "Dispute deposit", "Bond", "Keeper tip", "Verified
/// release", with the audit fixes that refine them: M-01's review window after a rejection, the keeper tip
/// only for a caller with no role in the job), written once and independently of the escrow's code: given a
/// job as `getJob` shows it before a settling call, what each party must receive. The invariant handler and the fuzz tests
/// compare every settlement against it, wei for wei.
/// @dev Pushes (provider, requester, keeper) may arrive as credits when the recipient refuses them; fees,
/// the arbitration fee and the verifier fee are always credits.
library EscrowModel {
    uint256 internal constant BPS = 10_000;

    struct Payout {
        uint256 toProvider; // pushed
        uint256 toRequester; // pushed
        uint256 toKeeper; // pushed to `keeper`
        address keeper; // 0 = no keeper: the tip goes back to the requester
        uint256 toArbitrator; // credited
        uint256 toVerifier; // credited
        uint256 platformFee; // credited to the current fee epoch's treasury
        uint256 communityFee; // credited to the current fee epoch's community fund
        IWorkEscrowTypes.Status status; // the job's status afterwards
        uint256 remaining; // the job's amount afterwards (meaningful while the job is live)
    }

    /// @notice The bond the escrow holds for the job (the required bond is not held before acceptance).
    function bondHeld(IWorkEscrowTypes.Job memory j) internal pure returns (uint256) {
        return j.bondPosted ? j.providerBond : 0;
    }

    /// @notice Everything the escrow holds for a live job: remaining amount + bond + tip + dispute deposit.
    function held(IWorkEscrowTypes.Job memory j) internal pure returns (uint256) {
        return j.amount + bondHeld(j) + j.keeperTip + j.disputeDeposit;
    }

    /// @notice The keeper of a permissionless exit: the caller when it holds no role in the job (not the
    /// requester, the provider, the arbitrator, the verifier or an approver: IWorkEscrowCore, "a caller who
    /// holds no role in the job earns the keeper tip"), else nobody (the tip goes back to the requester). A
    /// verifier that rejected or an arbitrator that let a dispute go stale never earns the tip for that exit.
    function keeperOf(
        IWorkEscrowTypes.Job memory j,
        address caller,
        bool callerIsApprover
    ) internal pure returns (address) {
        bool role = caller == j.requester ||
            caller == j.provider ||
            caller == j.arbitrator ||
            (j.verifier != address(0) && caller == j.verifier) ||
            callerIsApprover;
        return role ? address(0) : caller;
    }

    /// @notice When a Submitted job's review window ends: `submittedAt + reviewPeriod`, or after a verifier's
    /// rejection `verdictAt + reviewPeriod` (audit M-01: a rejection, even in the window's last second, leaves
    /// the provider a whole review period to dispute before anyone can refund the requester).
    function reviewEnd(IWorkEscrowTypes.Job memory j) internal pure returns (uint256) {
        if (j.verdict == IWorkEscrowTypes.Verdict.Rejected) return uint256(j.verdictAt) + j.reviewPeriod;
        return uint256(j.submittedAt) + j.reviewPeriod;
    }

    /// @notice Full release of the remaining amount (fees off it), the bond back to the provider.
    function release(IWorkEscrowTypes.Job memory j, address keeper) internal pure returns (Payout memory p) {
        return _release(j, j.amount, keeper);
    }

    /// @notice Refund: the remaining amount and the forfeited bond to the requester.
    function refund(IWorkEscrowTypes.Job memory j, address keeper) internal pure returns (Payout memory p) {
        p.toRequester = j.amount + bondHeld(j);
        _tip(p, j, keeper);
        p.status = IWorkEscrowTypes.Status.Refunded;
        p.remaining = j.amount;
    }

    /// @notice Cancellation of an open job: amount and tip back to the requester.
    function cancel(IWorkEscrowTypes.Job memory j) internal pure returns (Payout memory p) {
        p = refund(j, address(0));
        p.status = IWorkEscrowTypes.Status.Cancelled;
    }

    /// @notice A split of the remaining amount: a ruling (arbitration fee off the whole, the bond split by
    /// the same bps, the deposit forfeited when the ruling goes fully against the disputer), an agreement or a
    /// stale settlement (no arbitration fee, the bond back to the provider, the deposit back to the disputer).
    function resolve(
        IWorkEscrowTypes.Job memory j,
        uint16 providerBps,
        IWorkEscrowTypes.Resolution resolution,
        address keeper
    ) internal pure returns (Payout memory p) {
        bool arbitrated = resolution == IWorkEscrowTypes.Resolution.Arbitrated;
        p.toArbitrator = arbitrated ? (j.amount * j.arbitrationFeeBps) / BPS : 0;
        uint256 rest = j.amount - p.toArbitrator;
        uint256 providerGross = (rest * providerBps) / BPS;
        (p.platformFee, p.communityFee) = _fees(j, providerGross);
        p.toProvider = providerGross - p.platformFee - p.communityFee;
        p.toRequester = rest - providerGross;

        uint256 bond = bondHeld(j);
        uint256 bondToProvider = arbitrated ? (bond * providerBps) / BPS : bond;
        p.toProvider += bondToProvider;
        p.toRequester += bond - bondToProvider;

        if (j.status == IWorkEscrowTypes.Status.Disputed && j.disputeDeposit != 0) {
            if (depositToProvider(j, providerBps, arbitrated)) p.toProvider += j.disputeDeposit;
            else p.toRequester += j.disputeDeposit;
        }
        _tip(p, j, keeper);
        p.status = IWorkEscrowTypes.Status.Resolved;
        p.remaining = j.amount;
    }

    /// @notice Where a dispute deposit goes: to the other party only when the arbitrator ruled fully against
    /// the disputer (a requester's dispute ruled 10,000, a provider's ruled 0), else back to the disputer.
    function depositToProvider(
        IWorkEscrowTypes.Job memory j,
        uint16 providerBps,
        bool arbitrated
    ) internal pure returns (bool) {
        bool byProvider = j.disputedBy == j.provider;
        bool lost = arbitrated && (byProvider ? providerBps == 0 : providerBps == BPS);
        return byProvider ? !lost : lost;
    }

    /// @notice A partial release of `gross` (< remaining): fees off it, the rest to the provider.
    function releasePartial(IWorkEscrowTypes.Job memory j, uint256 gross) internal pure returns (Payout memory p) {
        (p.platformFee, p.communityFee) = _fees(j, gross);
        p.toProvider = gross - p.platformFee - p.communityFee;
        p.status = j.status;
        p.remaining = j.amount - gross;
    }

    /// @notice A partial refund of `amount` (< remaining) to the requester.
    function refundPartial(IWorkEscrowTypes.Job memory j, uint256 amount) internal pure returns (Payout memory p) {
        p.toRequester = amount;
        p.status = j.status;
        p.remaining = j.amount - amount;
    }

    /// @notice A verdict: the verifier's fee (bps of the remaining amount) either way; approval releases the rest.
    function verify(IWorkEscrowTypes.Job memory j, bool approved) internal pure returns (Payout memory p) {
        uint256 fee = (j.amount * j.verifierFeeBps) / BPS;
        if (approved) {
            p = _release(j, j.amount - fee, address(0));
        } else {
            p.status = IWorkEscrowTypes.Status.Submitted;
            p.remaining = j.amount - fee;
        }
        p.toVerifier = fee;
    }

    /// @notice Awarding a bid at `price`: the difference back to the requester at once.
    function award(IWorkEscrowTypes.Job memory j, uint256 price) internal pure returns (Payout memory p) {
        p.toRequester = j.amount - price;
        p.status = j.providerBond == 0 ? IWorkEscrowTypes.Status.Accepted : IWorkEscrowTypes.Status.Open;
        p.remaining = price;
    }

    /// @notice Total leaving the job's holdings in this payout (pushes and credits alike).
    function total(Payout memory p) internal pure returns (uint256) {
        return
            p.toProvider + p.toRequester + p.toKeeper + p.toArbitrator + p.toVerifier + p.platformFee + p.communityFee;
    }

    function _release(
        IWorkEscrowTypes.Job memory j,
        uint256 amount,
        address keeper
    ) private pure returns (Payout memory p) {
        (p.platformFee, p.communityFee) = _fees(j, amount);
        p.toProvider = amount - p.platformFee - p.communityFee + bondHeld(j);
        _tip(p, j, keeper);
        p.status = IWorkEscrowTypes.Status.Released;
        p.remaining = amount;
    }

    function _fees(IWorkEscrowTypes.Job memory j, uint256 gross) private pure returns (uint256, uint256) {
        return ((gross * j.platformFeeBps) / BPS, (gross * j.communityFeeBps) / BPS);
    }

    function _tip(Payout memory p, IWorkEscrowTypes.Job memory j, address keeper) private pure {
        if (keeper == address(0)) {
            p.toRequester += j.keeperTip;
        } else {
            p.toKeeper = j.keeperTip;
            p.keeper = keeper;
        }
    }
}
