// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IArbitrator} from "./IArbitrator.sol";

/// @title IEvidence — ERC-1497 (Evidence Standard)
/// @notice Events that let an arbitrator's interface show what a dispute is about and the evidence of
/// each party. The documents live off chain (IPFS or HTTPS URIs of JSON files).
interface IEvidence {
    /// @notice The meta-evidence `_metaEvidenceID` (the question, the ruling options, the context) is at `_evidence`.
    event MetaEvidence(uint256 indexed _metaEvidenceID, string _evidence);

    /// @notice `_party` (address(0) = not a party) submitted the evidence at `_evidence` to evidence group
    /// `_evidenceGroupID`, for arbitrator `_arbitrator`.
    event Evidence(
        IArbitrator indexed _arbitrator,
        uint256 indexed _evidenceGroupID,
        address indexed _party,
        string _evidence
    );

    /// @notice Links dispute `_disputeID` of `_arbitrator` to its meta-evidence and evidence group.
    event Dispute(
        IArbitrator indexed _arbitrator,
        uint256 indexed _disputeID,
        uint256 _metaEvidenceID,
        uint256 _evidenceGroupID
    );
}
