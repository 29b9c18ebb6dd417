// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IWorkEscrow} from "../interfaces/IWorkEscrow.sol";

/// @title ArbitrationFeeCollector — collects an arbitrator contract's fees from the escrow apart from its rulings
/// @notice Shared by {CommitteeArbitrator} and {ERC792ArbitratorAdapter} (audit L-01). When a ruling executes,
/// the escrow credits the arbitrator contract its arbitration fee. The ruling's transaction then TRIES to
/// withdraw it, with a bounded amount of gas and every failure caught, so the token (paused, blocklisting the
/// contract, reverting, burning gas, lying about balances) can never make a ruling revert. If the withdrawal
/// fails, the fee stays in the escrow as the contract's credit, recorded as owed to that ruling, and anyone
/// finishes the collection later (`collectFee(jobId)` of the concrete contract), which shares it exactly as the
/// ruling's transaction would have.
/// @dev Fee book, per token:
/// - `owed`: the fees the escrow credited (in its units, before any transfer fee) for executed rulings whose
///   share has not been credited yet;
/// - `held`: what arrived from the escrow for those rulings and has not been credited yet.
/// The escrow only lets an account withdraw its whole credit of a token, so one withdrawal can carry the fees
/// of several rulings; what arrived then sits in `held` until each ruling takes its part: its owed fee times
/// `held / owed`, rounded down, and the last one takes the exact rest — so the parts sum to what arrived, with
/// no dust and nothing counted twice (for a token without transfer fee every ruling gets exactly its fee).
/// A ruling takes its part only after the escrow's credit has been withdrawn (`held` then stands for every
/// owed fee). Invariants between transactions: Σ fees owed to recorded rulings = `owed`; the escrow credit of
/// this contract is 0 or part of `owed` (owed to recorded rulings); its token balance = the credits it owes
/// + `held`.
abstract contract ArbitrationFeeCollector {
    /// @dev The fee book of one token (see the contract NatSpec).
    struct FeeBook {
        uint256 owed;
        uint256 held;
    }

    /// @notice Gas given to the fee withdrawal inside a ruling's transaction: the escrow's `withdraw` plus the
    /// token's transfer and two `balanceOf` (a plain ERC-20 needs well under 100,000). A token that needs more
    /// leaves the fee owed, and `collectFee` (all the gas the caller gives) collects it.
    uint256 public constant FEE_COLLECTION_GAS = 300_000;

    IWorkEscrow internal immutable ESCROW;

    mapping(address token => FeeBook) private _feeBooks;

    /// @notice `pullEscrowFee` is an internal step run as a call to this very contract (so that any failure of
    /// the token can be caught as a whole); nobody else may call it.
    error FeeCollectorOnlySelf(address caller);

    constructor(IWorkEscrow escrow_) {
        ESCROW = escrow_;
    }

    /// @notice Internal step (callable by this contract only): withdraws this contract's whole escrow credit of
    /// `token` and returns what arrived. Run through `try` with bounded gas, so that a failure of the escrow's
    /// transfer or of the token's `balanceOf` undoes the step entirely and is caught.
    function pullEscrowFee(address token) external returns (uint256 arrived) {
        if (msg.sender != address(this)) revert FeeCollectorOnlySelf(msg.sender);
        return _pull(token);
    }

    /// @dev Executes `providerBps` on the escrow; returns the arbitration fee the escrow credited for it (gross,
    /// in the job's `token`) and this contract's escrow credit of `token` just before (0 unless older fees are
    /// still owed to recorded rulings).
    function _resolveOnEscrow(
        uint256 jobId,
        uint16 providerBps,
        address token
    ) internal returns (uint256 fee, uint256 creditBefore) {
        creditBefore = ESCROW.withdrawable(token, address(this));
        ESCROW.resolveDispute(jobId, providerBps);
        fee = ESCROW.withdrawable(token, address(this)) - creditBefore;
    }

    /// @dev In a ruling's transaction, for its `fee` (≠ 0): tries to withdraw this contract's credit of `token`.
    /// On success returns (true, this ruling's part of what arrived); on any failure records `fee` as owed and
    /// returns (false, 0), and the caller records it on the ruling for `collectFee`.
    function _tryCollect(address token, uint256 fee, uint256 creditBefore) internal returns (bool, uint256) {
        try this.pullEscrowFee{gas: FEE_COLLECTION_GAS}(token) returns (uint256 arrived) {
            // Only this ruling's fee was in the escrow: all of what arrived is its part; the book is untouched.
            if (creditBefore == 0) return (true, arrived);
            FeeBook storage book = _feeBooks[token];
            (book.owed, book.held) = (book.owed + fee, book.held + arrived);
            return (true, _take(book, fee));
        } catch {
            _feeBooks[token].owed += fee;
            return (false, 0);
        }
    }

    /// @dev For a ruling whose `fee` of `token` is owed: withdraws the escrow credit if any is left (reverting
    /// if the token still refuses: nothing changes then) and returns the ruling's part of what arrived.
    function _collectOwed(address token, uint256 fee) internal returns (uint256) {
        FeeBook storage book = _feeBooks[token];
        if (ESCROW.withdrawable(token, address(this)) != 0) book.held += _pull(token);
        return _take(book, fee);
    }

    /// @dev The fee book of `token`.
    function _feeBook(address token) internal view returns (uint256 owed, uint256 held) {
        FeeBook storage book = _feeBooks[token];
        return (book.owed, book.held);
    }

    /// @dev Takes a ruling's `fee` off the book and returns its part of `held`: pro rata, rounded down, or the
    /// whole rest for the last ruling owed. Only once the escrow credit is withdrawn (`held` covers all `owed`).
    function _take(FeeBook storage book, uint256 fee) private returns (uint256 part) {
        (uint256 owed, uint256 held) = (book.owed, book.held);
        part = owed == fee ? held : Math.mulDiv(fee, held, owed); // fee ≤ owed: part ≤ held
        (book.owed, book.held) = (owed - fee, held - part);
    }

    /// @dev Withdraws this contract's whole escrow credit of `token`; returns what arrived.
    function _pull(address token) private returns (uint256) {
        uint256 before = _balance(token);
        ESCROW.withdraw(token);
        return _balance(token) - before;
    }

    function _balance(address token) internal view returns (uint256) {
        return token == address(0) ? address(this).balance : IERC20(token).balanceOf(address(this));
    }
}
