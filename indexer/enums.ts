/** The contracts' enums by name, shared by the schema, the handlers and the API. */

/** IWorkEscrowTypes.Status, in order (the contract's numbers are the positions). */
export const STATUSES = [
  "None",
  "Open",
  "Accepted",
  "Submitted",
  "Disputed",
  "Released",
  "Refunded",
  "Cancelled",
  "Resolved",
] as const;
export const VERDICTS = ["None", "Approved", "Rejected"] as const;
export const RESOLUTIONS = ["Arbitrated", "Agreed", "Stale"] as const;
export const ROUND_STATUSES = ["None", "Live", "Cancelled", "Expired"] as const;

export type StatusName = (typeof STATUSES)[number];
