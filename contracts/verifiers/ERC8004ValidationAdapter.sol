// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IERC8004ValidationAdapter} from "../interfaces/IERC8004ValidationAdapter.sol";
import {IWorkEscrow} from "../interfaces/IWorkEscrow.sol";
import {IWorkEscrowTypes} from "../interfaces/IWorkEscrowTypes.sol";
import {IValidationRegistry} from "../interfaces/erc8004/IValidationRegistry.sol";

/// @title ERC8004ValidationAdapter — an ERC-8004 Validation Registry as a WorkEscrow job's verifier
/// @notice See {IERC8004ValidationAdapter} for the flow, the request-hash rule, what counts as an answer and
/// the trust model. One adapter serves any number of escrows; it reads one Validation Registry.
/// @dev No owner, no money held between transactions, one storage record per configured job. `validate` reads
/// the escrow and the registry, emits, then calls the escrow (verdict, then the fee's forwarding) last.
contract ERC8004ValidationAdapter is IERC8004ValidationAdapter, ReentrancyGuardTransient {
    uint8 private constant MAX_SCORE = 100; // ERC-8004 responses are 0..100

    /// @dev What `_verdict` found: the request, its counted response and the verdict it gives.
    struct Reading {
        bytes32 requestHash;
        address validator;
        uint8 response;
        bool approved;
    }

    /// @dev A request as the registry's `getValidationStatus` returns it (without `lastUpdate`, see `_verdict`).
    struct Request {
        address validator;
        uint256 agentId;
        uint8 response;
        bytes32 responseHash;
        string tag;
    }

    IValidationRegistry private immutable REGISTRY;

    mapping(IWorkEscrow escrow => mapping(uint256 jobId => Terms)) private _terms;

    /// @param registry the chain's ERC-8004 Validation Registry
    constructor(IValidationRegistry registry) {
        if (address(registry).code.length == 0) revert ERC8004InvalidRegistry(address(registry));
        REGISTRY = registry;
    }

    /*//////////////////////////////////////////////////////////////
                                REQUESTER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC8004ValidationAdapter
    function configure(
        IWorkEscrow escrow,
        uint256 jobId,
        address validator,
        uint8 minScore,
        string calldata tag
    ) external {
        Terms storage t = _terms[escrow][jobId];
        if (t.validator != address(0)) revert ERC8004AlreadyConfigured(escrow, jobId);
        IWorkEscrowTypes.Job memory job = escrow.getJob(jobId);
        if (msg.sender != job.requester) revert ERC8004NotRequester(escrow, jobId, msg.sender);
        if (job.status != IWorkEscrowTypes.Status.Open && job.status != IWorkEscrowTypes.Status.Accepted) {
            revert ERC8004InvalidJobStatus(escrow, jobId, job.status);
        }
        if (job.verifier != address(this)) revert ERC8004NotJobVerifier(escrow, jobId, job.verifier);
        if (!job.agentRequired) revert ERC8004AgentNotRequired(escrow, jobId);
        address identity = REGISTRY.getIdentityRegistry();
        if (escrow.identityRegistry() != identity) {
            revert ERC8004IdentityRegistryMismatch(escrow.identityRegistry(), identity);
        }
        if (
            validator == address(0) ||
            validator == job.requester ||
            validator == job.provider ||
            validator == job.arbitrator ||
            _isApprover(escrow, jobId, validator)
        ) revert ERC8004InvalidValidator(validator);
        if (minScore == 0 || minScore > MAX_SCORE) revert ERC8004InvalidMinScore(minScore);

        t.validator = validator;
        t.minScore = minScore;
        if (bytes(tag).length != 0) t.tagHash = keccak256(bytes(tag));
        emit TermsSet(escrow, jobId, validator, minScore, tag);
    }

    /*//////////////////////////////////////////////////////////////
                                 ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC8004ValidationAdapter
    function validate(IWorkEscrow escrow, uint256 jobId) external nonReentrant returns (bool approved) {
        (IWorkEscrowTypes.Job memory job, Reading memory r) = _verdict(escrow, jobId);
        approved = r.approved;
        emit ValidationApplied(escrow, jobId, r.requestHash, r.validator, r.response, approved);
        escrow.verifyWork(jobId, approved);
        if (job.verifierFeeBps == 0) return approved;
        // The escrow credited the fee (0 if it rounded down) to this adapter; pass it on. The adapter's credit was
        // zero before this call (every verdict forwards its own), so the whole credit is this job's fee.
        uint256 fee = escrow.withdrawable(job.token, address(this));
        if (fee != 0) {
            emit FeeForwarded(escrow, jobId, r.validator, job.token, fee);
            escrow.withdrawTo(job.token, r.validator);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC8004ValidationAdapter
    function preview(
        IWorkEscrow escrow,
        uint256 jobId
    ) external view returns (bytes32 hash, uint8 response, bool approved) {
        (, Reading memory r) = _verdict(escrow, jobId);
        return (r.requestHash, r.response, r.approved);
    }

    /// @inheritdoc IERC8004ValidationAdapter
    function validationRegistry() external view returns (IValidationRegistry) {
        return REGISTRY;
    }

    /// @inheritdoc IERC8004ValidationAdapter
    function terms(IWorkEscrow escrow, uint256 jobId) external view returns (Terms memory) {
        return _terms[escrow][jobId];
    }

    /// @inheritdoc IERC8004ValidationAdapter
    function requestHash(IWorkEscrow escrow, uint256 jobId, bytes32 resultHash) public pure returns (bytes32) {
        return keccak256(abi.encode(escrow, jobId, resultHash));
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev The verdict the job's validator gives now, or a revert saying why there is none.
    function _verdict(
        IWorkEscrow escrow,
        uint256 jobId
    ) private view returns (IWorkEscrowTypes.Job memory job, Reading memory r) {
        Terms memory t = _terms[escrow][jobId];
        if (t.validator == address(0)) revert ERC8004NotConfigured(escrow, jobId);
        job = escrow.getJob(jobId);
        if (job.status != IWorkEscrowTypes.Status.Submitted) revert ERC8004InvalidJobStatus(escrow, jobId, job.status);
        if (t.validator == job.provider) revert ERC8004ValidatorIsProvider(escrow, jobId, t.validator);

        r.requestHash = requestHash(escrow, jobId, job.resultHash);
        r.validator = t.validator;
        Request memory q = _request(r.requestHash);
        if (q.validator != t.validator) revert ERC8004WrongValidator(r.requestHash, t.validator, q.validator);
        if (q.agentId != job.agentId) revert ERC8004WrongAgent(r.requestHash, job.agentId, q.agentId);
        // With a required tag only a response carrying it counts (a request alone has no tag); without one,
        // any state that differs from what a request alone stores is a response.
        bool answered = t.tagHash != bytes32(0)
            ? keccak256(bytes(q.tag)) == t.tagHash
            : q.response != 0 || q.responseHash != bytes32(0) || bytes(q.tag).length != 0;
        if (!answered) revert ERC8004NoResponse(r.requestHash);
        r.response = q.response;
        r.approved = q.response >= t.minScore;
    }

    /// @dev The registry's record of `hash`. The registry reverts for a request hash never opened; any failure
    /// of the call means "no request now" (nothing is written on that path, so it can only delay a verdict).
    function _request(bytes32 hash) private view returns (Request memory q) {
        try REGISTRY.getValidationStatus(hash) returns (
            address validator,
            uint256 agentId,
            uint8 response,
            bytes32 responseHash,
            string memory tag,
            uint256
        ) {
            return Request(validator, agentId, response, responseHash, tag);
        } catch {
            revert ERC8004NoRequest(hash);
        }
    }

    /// @dev Whether `account` is one of the job's approvers.
    function _isApprover(IWorkEscrow escrow, uint256 jobId, address account) private view returns (bool isApprover) {
        (isApprover, ) = escrow.approverState(jobId, account);
    }
}
