// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {WorkEscrow} from "../../contracts/WorkEscrow.sol";
import {WorkEscrowExtension} from "../../contracts/WorkEscrowExtension.sol";
import {WorkEscrowForwarder} from "../../contracts/WorkEscrowForwarder.sol";
import {IWorkEscrowExtension} from "../../contracts/interfaces/IWorkEscrowExtension.sol";
import {IWorkEscrow} from "../../contracts/interfaces/IWorkEscrow.sol";
import {IWorkEscrowTypes} from "../../contracts/interfaces/IWorkEscrowTypes.sol";

/// @notice awardBid at the edges of price and expiry: a bid is awarded exactly when 0 < price ≤ amount and
/// now ≤ expiry, the requester gets exactly amount - price back, and a refused bid moves nothing.
contract BidsTest is Test {
    IWorkEscrow internal escrow;
    address internal requester = makeAddr("requester");
    address internal arbitrator = makeAddr("arbitrator");
    uint256 internal bidderKey = 0xB1DDE7;
    address internal bidder;

    bytes32 private constant BID_TYPEHASH =
        keccak256("Bid(uint256 jobId,address provider,uint256 price,uint64 expiry,uint256 nonce)");

    function setUp() public {
        bidder = vm.addr(bidderKey);
        IWorkEscrowTypes.ArbitratorConfig[] memory arbitrators = new IWorkEscrowTypes.ArbitratorConfig[](1);
        arbitrators[0] = IWorkEscrowTypes.ArbitratorConfig(arbitrator, 0);
        WorkEscrowForwarder forwarder = new WorkEscrowForwarder();
        WorkEscrowExtension extension = new WorkEscrowExtension(address(forwarder), address(0));
        WorkEscrow core = new WorkEscrow(
            IWorkEscrowTypes.InitialConfig({
                admin: makeAddr("admin"),
                treasury: makeAddr("treasury"),
                communityFund: makeAddr("community"),
                platformFeeBps: 100,
                communityFeeBps: 50,
                arbitrationFeeBps: 200,
                arbitrators: arbitrators,
                minAmounts: new IWorkEscrowTypes.TokenMinimum[](0)
            }),
            IWorkEscrowExtension(address(extension))
        );
        escrow = IWorkEscrow(address(core));
        vm.deal(requester, type(uint128).max);
    }

    function _openJob(uint256 amount) internal returns (uint256 jobId) {
        IWorkEscrowTypes.JobParams memory p;
        p.amount = amount;
        p.deadline = uint64(block.timestamp + 1 days);
        p.reviewPeriod = 1 days;
        p.jobHash = keccak256("spec");
        p.arbitrator = arbitrator;
        vm.prank(requester);
        jobId = escrow.createJob{value: amount}(p);
    }

    function _signed(
        uint256 jobId,
        uint256 price,
        uint64 expiry
    ) internal view returns (IWorkEscrowTypes.Bid memory bid, bytes memory signature) {
        bid = IWorkEscrowTypes.Bid({
            jobId: jobId,
            provider: bidder,
            price: price,
            expiry: expiry,
            nonce: escrow.nonces(bidder, uint192(jobId))
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(bidderKey, escrow.hashBid(bid));
        signature = abi.encodePacked(r, s, v);
    }

    /// @dev Awards `bid` and checks the outcome against the rule; returns whether it was awarded.
    function _awardAndCheck(uint256 jobId, uint256 amount, uint256 price, uint64 expiry) internal returns (bool) {
        (IWorkEscrowTypes.Bid memory bid, bytes memory signature) = _signed(jobId, price, expiry);
        uint256 requesterBefore = requester.balance;
        uint256 escrowBefore = address(escrow).balance;
        uint256 nonceBefore = escrow.nonces(bidder, uint192(jobId));

        bool expired = block.timestamp > expiry;
        if (expired) {
            vm.expectRevert(abi.encodeWithSelector(IWorkEscrowTypes.WorkEscrowBidExpired.selector, jobId, expiry));
        } else if (price > amount) {
            vm.expectRevert(
                abi.encodeWithSelector(IWorkEscrowTypes.WorkEscrowBidAboveAmount.selector, jobId, price, amount)
            );
        } else if (price == 0) {
            vm.expectRevert(IWorkEscrowTypes.WorkEscrowZeroAmount.selector);
        }
        vm.prank(requester);
        escrow.awardBid(jobId, bid, signature);

        IWorkEscrowTypes.Job memory job = escrow.getJob(jobId);
        if (expired || price > amount || price == 0) {
            assertEq(requester.balance, requesterBefore, "a refused bid moved the requester's money");
            assertEq(address(escrow).balance, escrowBefore, "a refused bid moved the escrow's money");
            assertEq(job.amount, amount, "a refused bid changed the amount");
            assertEq(job.provider, address(0), "a refused bid set a provider");
            assertEq(uint8(job.status), uint8(IWorkEscrowTypes.Status.Open), "a refused bid changed the status");
            assertEq(escrow.nonces(bidder, uint192(jobId)), nonceBefore, "a refused bid used the nonce");
            return false;
        }
        assertEq(requester.balance, requesterBefore + (amount - price), "refund is not exactly amount - price");
        assertEq(address(escrow).balance, escrowBefore - (amount - price), "escrow did not pay out exactly the refund");
        assertEq(job.amount, price, "the job's amount is not the bid's price");
        assertEq(job.provider, bidder, "the bidder is not the provider");
        assertEq(uint8(job.status), uint8(IWorkEscrowTypes.Status.Accepted), "an unbonded award is not Accepted");
        assertEq(escrow.nonces(bidder, uint192(jobId)), nonceBefore + 1, "the award did not use the nonce");
        return true;
    }

    /// @notice Any price against any amount: awarded iff 0 < price ≤ amount.
    function testFuzz_awardBid_price(uint256 amount, uint256 price) public {
        amount = bound(amount, 1, type(uint128).max);
        price = bound(price, 0, amount < type(uint128).max ? amount * 2 : amount);
        uint256 jobId = _openJob(amount);
        bool awarded = _awardAndCheck(jobId, amount, price, uint64(block.timestamp));
        assertEq(awarded, price != 0 && price <= amount, "award outcome does not follow 0 < price <= amount");
    }

    /// @notice The price edge: amount - 2 .. amount + 2.
    function testFuzz_awardBid_priceEdge(uint256 amount, uint8 offset) public {
        amount = bound(amount, 3, type(uint128).max - 3);
        uint256 price = amount - 2 + (offset % 5);
        uint256 jobId = _openJob(amount);
        bool awarded = _awardAndCheck(jobId, amount, price, uint64(block.timestamp));
        assertEq(awarded, price <= amount, "price edge: awarded iff price <= amount");
    }

    /// @notice The expiry edge: awarded up to and including `expiry`, refused from expiry + 1 on.
    function testFuzz_awardBid_expiryEdge(uint32 start, uint8 before, uint8 warp) public {
        vm.warp(bound(start, 1_700_000_000, 3_000_000_000));
        uint256 jobId = _openJob(1 ether);
        uint64 expiry = uint64(block.timestamp + (before % 8));
        vm.warp(block.timestamp + (warp % 16));
        bool awarded = _awardAndCheck(jobId, 1 ether, 0.5 ether, expiry);
        assertEq(awarded, block.timestamp <= expiry, "expiry edge: awarded iff now <= expiry");
    }

    /// @notice hashBid is the EIP-712 digest of the Bid struct in the escrow's own domain ("WorkEscrow", "2").
    function testFuzz_hashBid_matchesEip712(
        uint256 jobId,
        address provider,
        uint256 price,
        uint64 expiry,
        uint256 nonce
    ) public view {
        IWorkEscrowTypes.Bid memory bid = IWorkEscrowTypes.Bid(jobId, provider, price, expiry, nonce);
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("WorkEscrow"),
                keccak256("2"),
                block.chainid,
                address(escrow)
            )
        );
        bytes32 structHash = keccak256(abi.encode(BID_TYPEHASH, jobId, provider, price, expiry, nonce));
        assertEq(
            escrow.hashBid(bid),
            keccak256(abi.encodePacked("\x19\x01", domain, structHash)),
            "hashBid is not the EIP-712 digest"
        );
    }
}
