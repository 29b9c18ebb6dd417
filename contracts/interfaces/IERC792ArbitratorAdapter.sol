// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IArbitrable} from "./erc792/IArbitrable.sol";
import {IArbitrator} from "./erc792/IArbitrator.sol";
import {IEvidence} from "./erc792/IEvidence.sol";
import {IWorkEscrow} from "./IWorkEscrow.sol";
import {IWorkEscrowTypes} from "./IWorkEscrowTypes.sol";

/// @title IERC792ArbitratorAdapter — takes WorkEscrow disputes to an ERC-792 court (e.g. Kleros)
/// @notice The adapter is one address in the escrow's arbitrator registry; a job that names it has its dispute
/// decided by the court fixed at the adapter's deployment (with fixed `arbitratorExtraData`, e.g. a Kleros
/// subcourt and juror count). Register it with an arbitration period long enough for the court's first round,
/// the appeals the parties may want and `minAppealTime` (Kleros: weeks; the escrow allows up to 90 days): a
/// ruling that cannot be applied within the period is lost and the escrow's stale settlement (50/50) applies.
///
/// Flow, for a job that named this adapter, while the job is Disputed and its arbitration period runs
/// (`end = disputedAt + arbitrationPeriod`):
/// 1. Court cost: the requester and/or the provider pay the court's `arbitrationCost` (native coin) with
///    `fundCourt` — one of them in full, or both in parts. What is sent beyond what is still missing comes back
///    at once. Until the cost is complete, each contributor may take its part back (`withdrawContribution`),
///    e.g. when the parties settle first; nothing has been spent.
/// 2. The payment that completes the cost creates the court dispute (2 choices) at once, with the ERC-1497
///    events: `MetaEvidence(jobId, <metaEvidenceURI>#escrow=<escrow>&job=<jobId>)` (the deployment's
///    meta-evidence document, which states the question and the ruling options, followed by the job's
///    coordinates) and `Dispute(court, disputeId, jobId, jobId)`: meta-evidence id and evidence group are the
///    job id. From then on the cost belongs to the court and cannot come back, whatever happens to the job.
/// 3. Evidence: the parties point at documents with `submitEvidence`, relayed as ERC-1497 `Evidence` events in
///    evidence group `jobId` (before or after the court dispute exists, while the job is Disputed).
/// 4. Appeals: while the court's ruling is appealable (inside its appeal period), ANYONE may pay the court's
///    `appealCost` with `appeal`; the adapter forwards exactly that and returns any excess. Appeal costs are not
///    reimbursed by the adapter (whoever appeals pays for the new round). Appeal cutoff (audit M-02): appeals
///    are accepted only while `now + minAppealTime <= end`, i.e. up to and including `appealsCloseAt(jobId) =
///    end − minAppealTime`, whatever the court's own appeal period says. `minAppealTime` is fixed at
///    deployment and must exceed the court's longest round (appeal → new ruling) plus its appeal period, with a
///    margin to execute the ruling: then the round started by the last possible appeal ends, and its ruling can
///    be executed, before `end`, so buying appeals can delay a ruling but never push it past the period.
/// 5. Ruling: the court calls `rule(disputeId, ruling)` once. Mapping onto `resolveDispute(jobId, providerBps)`:
///    ruling 0 (refused to arbitrate) → 5,000 (half each); 1 (the provider is right: pay the provider) →
///    10,000; 2 (the requester is right: refund the requester) → 0. The ruling is applied only if the job is
///    still Disputed and `now < end`; otherwise (the parties settled, the dispute was settled as stale, the
///    period ran out, or the current ruling was already applied) it is recorded (`RulingNotApplied`) and no
///    money moves: the escrow already paid everyone once. Either way `rule` never executes twice for a dispute.
/// 6. Current ruling: ANYONE may apply the court's `currentRuling` with `applyCurrentRuling` before the court
///    calls `rule`, while the job is Disputed and `now < end`, when that ruling can no longer change through
///    the adapter: the court says it is final (`Solved`), or it is `Appealable` after the appeal cutoff
///    (`now > appealsCloseAt`: the adapter refuses further appeals). This saves a ruling whose appeal period
///    (or whose execution by the court) would end after `end`. The court's later `rule` is then recorded only.
///    The court must accept appeals only from the arbitrable (as KlerosLiquid does); a court that lets anyone
///    appeal directly can be stalled past the period by an appeal the adapter never sees.
///
/// Arbitration fee: when a ruling is applied, the escrow credits this adapter its arbitration fee (the job's
/// `arbitrationFeeBps` of the remaining amount, in the job's token). The same transaction tries to withdraw it
/// (bounded gas; whatever the token does — paused, blocklisting the adapter, reverting, burning gas — the ruling
/// stands) and credits what arrived to those who paid the court's `arbitrationCost`, in proportion to their
/// parts (the requester's share rounded down, the provider gets the exact rest; half each if the court charged
/// nothing), withdrawable with `withdraw(token)`. If the withdrawal fails, the fee stays in the escrow as the
/// adapter's credit, owed to that case (`FeeOwed`, `caseOf(jobId).feeOwed`), and anyone calls
/// `collectFee(jobId)` later for the same split. It reimburses the court cost (or part of it, or more,
/// depending on the job's amount). When no ruling is applied, the escrow pays no fee and the court keeps the
/// cost.
///
/// @dev Trust model: the court decides (the adapter enforces whatever it rules, within the escrow's limits: only
/// the job's remaining amount, only within the arbitration period); the court's address, extra data and
/// `minAppealTime` are fixed at deployment and cannot be changed by anyone. The adapter has no owner. It holds
/// only unspent contributions toward a court cost, the credited fee reimbursements and fees collected for cases
/// not yet reimbursed (see `feeBook`); every native payment it accepts is either forwarded to the court,
/// returned, or credited. Between transactions its escrow credit is 0 or owed to recorded cases.
interface IERC792ArbitratorAdapter is IArbitrable, IEvidence {
    /// @notice A job's court case as the adapter records it.
    /// @param paidByRequester wei the requester contributed to the court's arbitration cost
    /// @param paidByProvider wei the provider contributed
    /// @param created whether the court dispute exists (the contributions were paid to the court)
    /// @param ruled whether the court's `rule` call arrived
    /// @param applied whether a ruling was applied to the job (by `rule`, or by `applyCurrentRuling` before it)
    /// @param ruling the ruling applied; if none was, the court's final ruling once `ruled` (0 refused,
    /// 1 provider, 2 requester)
    /// @param appeals appeals funded through the adapter
    /// @param feeOwed the escrow's fee for the applied ruling while it is still to be collected (`collectFee`)
    /// @param disputeId the court's dispute id (valid once `created`)
    struct CourtCase {
        uint128 paidByRequester;
        uint128 paidByProvider;
        bool created;
        bool ruled;
        bool applied;
        uint8 ruling;
        uint32 appeals;
        uint128 feeOwed;
        uint256 disputeId;
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice `party` contributed `amount` wei to job `jobId`'s court cost; `paid` of `cost` is now funded.
    event CourtFunded(uint256 indexed jobId, address indexed party, uint256 amount, uint256 paid, uint256 cost);
    /// @notice `party` took back its contribution `amount` before the court dispute was created.
    event ContributionWithdrawn(uint256 indexed jobId, address indexed party, uint256 amount);
    /// @notice The court dispute `disputeId` was created for job `jobId`, paying the court `cost` wei.
    event CourtDisputeCreated(uint256 indexed jobId, uint256 indexed disputeId, uint256 cost);
    /// @notice `funder` paid the court `cost` wei to appeal the current ruling of `disputeId`.
    event AppealFunded(uint256 indexed jobId, uint256 indexed disputeId, address indexed funder, uint256 cost);
    /// @notice The ruling `ruling` was applied as `providerBps`; the escrow credited the adapter `fee` of `token`
    /// for it, owed to the court cost's funders (followed by `FeeCollected`, or `FeeOwed` if it could not be
    /// withdrawn).
    event RulingApplied(
        uint256 indexed jobId,
        uint256 indexed disputeId,
        uint256 ruling,
        uint16 providerBps,
        address token,
        uint256 fee
    );
    /// @notice `caller` applied the court's current ruling (court status `courtStatus`: Solved, or Appealable
    /// after the appeal cutoff) before the court's `rule` call; `RulingApplied` follows.
    event CurrentRulingApplied(
        uint256 indexed jobId,
        uint256 indexed disputeId,
        address indexed caller,
        IArbitrator.DisputeStatus courtStatus
    );
    /// @notice `amount` of `token` arrived from the escrow for job `jobId`'s applied ruling (its fee, less any
    /// transfer fee of the token) and was credited to the court cost's funders.
    event FeeCollected(uint256 indexed jobId, address indexed token, uint256 amount);
    /// @notice Job `jobId`'s fee (`fee` of `token`) could not be withdrawn from the escrow in the ruling's
    /// transaction (the token refused or needed too much gas); it stays owed to the funders: `collectFee(jobId)`.
    event FeeOwed(uint256 indexed jobId, address indexed token, uint256 fee);
    /// @notice The court's `ruling` arrived when the job could no longer be ruled (its `status`, the arbitration
    /// period was over, or the current ruling was already applied): nothing moved.
    event RulingNotApplied(
        uint256 indexed jobId,
        uint256 indexed disputeId,
        uint256 ruling,
        IWorkEscrowTypes.Status status
    );
    /// @notice `amount` of `token` was credited to `account` (its part of job `jobId`'s fee, or a surplus of
    /// its court contribution when the court's cost went down).
    event Credited(uint256 indexed jobId, address indexed token, address indexed account, uint256 amount);
    /// @notice `account` withdrew its credit of `token` to `to`.
    event Withdrawn(address indexed token, address indexed account, address indexed to, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    error AdapterZeroAddress();
    error AdapterZeroValue();
    /// @notice `minAppealTime` must be 1 second to `maximum` (the escrow's longest arbitration period).
    error AdapterInvalidMinAppealTime(uint256 minAppealTime, uint256 maximum);
    /// @notice The job did not name this adapter as its arbitrator.
    error AdapterNotJobArbitrator(uint256 jobId, address arbitrator);
    /// @notice The job is not in dispute (not yet, or already ended).
    error AdapterNotDisputed(uint256 jobId, IWorkEscrowTypes.Status status);
    /// @notice The job's arbitration period ended at `endedAt`: no ruling could be applied any more.
    error AdapterArbitrationPeriodOver(uint256 jobId, uint256 endedAt);
    /// @notice Only the job's requester or provider may do this.
    error AdapterUnauthorized(uint256 jobId, address caller);
    error AdapterAlreadyInCourt(uint256 jobId, uint256 disputeId);
    error AdapterNotInCourt(uint256 jobId);
    error AdapterNothingToWithdraw(address token, address account);
    /// @notice The court's current ruling cannot be appealed now (status, or outside `[start, end)`).
    error AdapterNotAppealable(uint256 jobId, uint256 disputeId, uint256 start, uint256 end);
    error AdapterInsufficientPayment(uint256 sent, uint256 required);
    /// @notice Appeals for job `jobId` closed at `closedAt` (`end − minAppealTime`): a new round could not be
    /// ruled and executed before the arbitration period ends.
    error AdapterAppealsClosed(uint256 jobId, uint256 closedAt);
    /// @notice The court's current ruling can still change: `status` is Waiting (no ruling), or Appealable while
    /// appeals are open (until `appealsCloseAt`, inclusive).
    error AdapterRulingNotFinal(
        uint256 jobId,
        uint256 disputeId,
        IArbitrator.DisputeStatus status,
        uint256 appealsCloseAt
    );
    /// @notice Job `jobId` has no fee owed (no applied ruling, or its fee was already collected).
    error AdapterNoFeeOwed(uint256 jobId);
    /// @notice `rule` was called by `caller`, not by the court.
    error AdapterOnlyCourt(address caller);
    error AdapterUnknownDispute(uint256 disputeId);
    error AdapterAlreadyRuled(uint256 disputeId);
    error AdapterInvalidRuling(uint256 ruling);
    error AdapterTransferFailed(address to, uint256 amount);
    /// @notice Native coin comes in only through `fundCourt`, `appeal` and the escrow's fee withdrawal.
    error AdapterUnexpectedPayment(address from);

    /*//////////////////////////////////////////////////////////////
                                PARTIES
    //////////////////////////////////////////////////////////////*/

    /// @notice The requester or the provider contributes msg.value toward the court's `arbitrationCost`; the
    /// payment that completes it creates the court dispute. Only while the job is Disputed, its arbitration
    /// period runs and no court dispute exists. Whatever exceeds what is missing is returned at once.
    function fundCourt(uint256 jobId) external payable;

    /// @notice Before the court dispute exists, a contributor takes its whole contribution back.
    function withdrawContribution(uint256 jobId) external;

    /// @notice The requester or the provider points at evidence at `uri` (ERC-1497 `Evidence`, group `jobId`).
    function submitEvidence(uint256 jobId, string calldata uri) external;

    /// @notice Anyone pays the court's `appealCost` (msg.value ≥ it; the rest is returned) to appeal the
    /// current ruling of job `jobId`'s court dispute, inside the court's appeal period and no later than
    /// `appealsCloseAt(jobId)` (`now + minAppealTime <= disputedAt + arbitrationPeriod`).
    function appeal(uint256 jobId) external payable;

    /// @notice Anyone applies the court's `currentRuling` to the job before the court calls `rule`, once it can no
    /// longer change through the adapter: court status Solved, or Appealable after `appealsCloseAt(jobId)`. Only
    /// while the job is Disputed and its arbitration period runs. Same mapping, fee and reimbursement as `rule`.
    function applyCurrentRuling(uint256 jobId) external;

    /// @notice Anyone: collects job `jobId`'s fee that the ruling's transaction could not withdraw (`FeeOwed`)
    /// and credits the court cost's funders. Reverts, changing nothing, while the token still refuses.
    function collectFee(uint256 jobId) external;

    /// @notice Pays the caller's whole credit of `token` (0 = native coin) to the caller.
    function withdraw(address token) external;

    /// @notice Pays the caller's whole credit of `token` to `to`.
    function withdrawTo(address token, address to) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The escrow (core address) whose disputes this adapter takes to court.
    function escrow() external view returns (IWorkEscrow);

    /// @notice The ERC-792 court, fixed at deployment.
    function court() external view returns (IArbitrator);

    /// @notice The extra data passed to the court with every dispute and appeal.
    function arbitratorExtraData() external view returns (bytes memory);

    /// @notice The meta-evidence document every dispute points at (before the job's coordinates).
    function metaEvidenceURI() external view returns (string memory);

    /// @notice Seconds before the end of a job's arbitration period at which appeals close (fixed at deployment).
    function minAppealTime() external view returns (uint256);

    /// @notice The last second at which job `jobId` may be appealed: `disputedAt + arbitrationPeriod −
    /// minAppealTime` (0 if the job was never disputed). After it, `applyCurrentRuling` takes an Appealable ruling.
    function appealsCloseAt(uint256 jobId) external view returns (uint256);

    /// @notice Ruling options offered to the court: 2 (1 = provider, 2 = requester; 0 = refused).
    function NUMBER_OF_CHOICES() external view returns (uint256);

    /// @notice The `providerBps` a court ruling maps to: 0 → 5,000, 1 → 10,000, 2 → 0.
    function rulingToBps(uint256 ruling) external pure returns (uint16);

    /// @notice Job `jobId`'s court case.
    function caseOf(uint256 jobId) external view returns (CourtCase memory);

    /// @notice The job a court dispute belongs to (0 = none).
    function jobOfDispute(uint256 disputeId) external view returns (uint256);

    /// @notice `account`'s withdrawable credit of `token` (0 = native coin).
    function withdrawable(address token, address account) external view returns (uint256);

    /// @notice For `token`: `owed`, the fees still owed to applied rulings (Σ `caseOf(jobId).feeOwed` of the jobs
    /// in that token), and `held`, what already arrived for them from the escrow (one withdrawal takes the
    /// adapter's whole escrow credit, so it can carry several cases' fees) and is not yet credited.
    function feeBook(address token) external view returns (uint256 owed, uint256 held);
}
