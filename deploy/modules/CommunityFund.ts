import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The CommunityFund: receives the escrow's community fee and returns it to providers in Merkle
 * rounds. Parameters (`deploy/parameters/<network>.json`, key "CommunityFund"):
 *
 *   admin          posts rounds, sets thresholds and schedule
 *   guardian       may veto a root during its challenge delay (address(0): only the admin)
 *   minInterval    seconds between rounds of one token      (1 day .. 365 days)
 *   challengeDelay seconds from posting to claims opening   (1 hour .. 30 days)
 *   claimPeriod    seconds claims stay open                 (7 days .. 365 days)
 *   thresholds     [{ "token": address, "threshold": base units }] pool needed before a round
 *
 * These are in force at deployment. Later, the guardian and the schedule can only be proposed
 * (fund:set-guardian, fund:set-schedule) and applied after the challenge delay (fund:apply-changes).
 */
export default buildModule("CommunityFund", (m) => {
  const fund = m.contract("CommunityFund", [
    {
      admin: m.getParameter<string>("admin"),
      guardian: m.getParameter<string>("guardian", "0x0000000000000000000000000000000000000000"),
      minInterval: m.getParameter<number>("minInterval", 30 * 24 * 3600),
      challengeDelay: m.getParameter<number>("challengeDelay", 3 * 24 * 3600),
      claimPeriod: m.getParameter<number>("claimPeriod", 90 * 24 * 3600),
      thresholds: m.getParameter<{ token: string; threshold: string }[]>("thresholds", []),
    },
  ]);
  return { fund };
});
