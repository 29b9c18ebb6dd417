// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {CommunityFund} from "../../contracts/CommunityFund.sol";
import {MockERC20} from "../../contracts/mocks/MockTokens.sol";

/// @notice Drives CommunityFund through random donations, syncs, two-entry rounds (sometimes with
/// entries adding up to more than the round's total), claims, cancellations, expiries and time.
/// Inputs are bounded so calls are mostly valid; calls that revert change nothing.
contract FundHandler is Test {
    CommunityFund public immutable fund;
    MockERC20 public immutable token;
    address public immutable admin;
    address[] public recipients;

    struct Entry {
        address account;
        uint256 amount;
        bytes32 leaf;
    }

    mapping(uint256 roundId => Entry[2]) internal _entries;
    /// @notice Everything sent to the fund, per token (address(0) = native).
    mapping(address token => uint256) public donated;
    /// @notice Everything recipients actually received from claims, per token.
    mapping(address token => uint256) public paidOut;
    uint256 public rounds;

    constructor(CommunityFund fund_, MockERC20 token_, address admin_) {
        fund = fund_;
        token = token_;
        admin = admin_;
        for (uint256 i; i < 3; ++i) recipients.push(makeAddr(string.concat("recipient", vm.toString(i))));
    }

    function _token(uint256 seed) internal view returns (address) {
        return seed % 2 == 0 ? address(0) : address(token);
    }

    function _balance(address t, address who) internal view returns (uint256) {
        return t == address(0) ? who.balance : token.balanceOf(who);
    }

    function donate(uint256 tokenSeed, uint256 amount) external {
        address t = _token(tokenSeed);
        amount = bound(amount, 1, 1e24);
        if (t == address(0)) vm.deal(address(fund), address(fund).balance + amount);
        else token.mint(address(fund), amount);
        donated[t] += amount;
    }

    function sync(uint256 tokenSeed) external {
        fund.sync(_token(tokenSeed));
    }

    function post(uint256 tokenSeed, uint256 total, uint256 a0, uint256 a1, uint256 who) external {
        address t = _token(tokenSeed);
        fund.sync(t);
        uint256 pool = fund.tokenState(t).pool;
        if (pool == 0) return;
        total = bound(total, 1, pool);
        // Entries usually fit the total; sometimes (a wrong tree) they add up to more.
        a0 = bound(a0, 1, total);
        a1 = bound(a1, 1, total);
        Entry memory e0 = _entry(recipients[who % 3], a0);
        Entry memory e1 = _entry(recipients[(who + 1) % 3], a1);
        bytes32 root = e0.leaf < e1.leaf
            ? keccak256(abi.encode(e0.leaf, e1.leaf))
            : keccak256(abi.encode(e1.leaf, e0.leaf));
        vm.prank(admin);
        uint256 id = fund.postRound(t, root, uint128(total), "");
        _entries[id][0] = e0;
        _entries[id][1] = e1;
        rounds = id;
    }

    function claim(uint256 roundSeed, uint256 which, uint256 sender) external {
        if (rounds == 0) return;
        uint256 id = bound(roundSeed, 1, rounds);
        Entry memory e = _entries[id][which % 2];
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = _entries[id][(which + 1) % 2].leaf;
        address t = fund.getRound(id).token;
        uint256 before = _balance(t, e.account);
        vm.prank(recipients[sender % 3]);
        fund.claim(id, e.account, e.amount, proof);
        paidOut[t] += _balance(t, e.account) - before;
    }

    function cancel(uint256 roundSeed) external {
        if (rounds == 0) return;
        vm.prank(admin);
        fund.cancelRound(bound(roundSeed, 1, rounds));
    }

    function expire(uint256 roundSeed) external {
        if (rounds == 0) return;
        fund.expireRound(bound(roundSeed, 1, rounds));
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 20 days));
    }

    function _entry(address account, uint256 amount) internal pure returns (Entry memory) {
        return Entry(account, amount, keccak256(bytes.concat(keccak256(abi.encode(account, amount)))));
    }
}
