import { expect } from "chai";
import type { IWorkEscrow } from "../../typechain-types/index.js";

/** `token:account` (both lower-case) → withdrawable amount. */
export type Ledger = Map<string, bigint>;

const key = (token: string, account: string) => `${token.toLowerCase()}:${account.toLowerCase()}`;

/**
 * Rebuilds every withdrawable balance from the escrow's logs alone, as an indexer would:
 * `FeeRecipientsUpdated(epoch, treasury, fund)` says who receives the fees from then on, the
 * settlement events that name fees (`JobReleased`, `JobPartiallyReleased`, `DisputeResolved`, in the
 * token of the job's `JobCreated`) credit the platform fee to that treasury and the community fee to
 * that fund, `Credited(jobId, token, account, amount)` credits a failed push, an arbitration fee or a
 * verifier fee, and `Withdrawn(token, account, to, amount)` debits. No contract state is read.
 */
export async function replayCredits(escrow: IWorkEscrow, fromBlock = 0): Promise<Ledger> {
  type Entry = { block: number; index: number; apply: (l: Ledger) => void };
  const entries: Entry[] = [];
  const add = (l: Ledger, token: string, account: string, amount: bigint) =>
    l.set(key(token, account), (l.get(key(token, account)) ?? 0n) + amount);

  // Applied in log order with the rest: the recipients in force when a settlement is emitted are
  // those of the latest FeeRecipientsUpdated before it.
  let recipients: { treasury: string; fund: string } | undefined;
  for (const e of await escrow.queryFilter(escrow.filters.FeeRecipientsUpdated(), fromBlock)) {
    entries.push({
      block: e.blockNumber,
      index: e.index,
      apply: () => {
        recipients = { treasury: e.args.treasury, fund: e.args.communityFund };
      },
    });
  }
  const tokens = new Map<bigint, string>();
  for (const e of await escrow.queryFilter(escrow.filters.JobCreated(), fromBlock)) {
    tokens.set(e.args.jobId, e.args.token);
  }
  const settle = (
    e: { blockNumber: number; index: number; eventName: string },
    jobId: bigint,
    platformFee: bigint,
    communityFee: bigint,
  ) => {
    if (platformFee === 0n && communityFee === 0n) return;
    const token = tokens.get(jobId);
    expect(token, `${e.eventName} of job ${jobId} without its JobCreated`).to.not.be.undefined;
    entries.push({
      block: e.blockNumber,
      index: e.index,
      apply: (l) => {
        expect(recipients, `${e.eventName} of job ${jobId} before any FeeRecipientsUpdated`).to.not
          .be.undefined;
        add(l, token!, recipients!.treasury, platformFee);
        add(l, token!, recipients!.fund, communityFee);
      },
    });
  };
  for (const e of await escrow.queryFilter(escrow.filters.JobReleased(), fromBlock)) {
    settle(e, e.args.jobId, e.args.platformFee, e.args.communityFee);
  }
  for (const e of await escrow.queryFilter(escrow.filters.JobPartiallyReleased(), fromBlock)) {
    settle(e, e.args.jobId, e.args.platformFee, e.args.communityFee);
  }
  for (const e of await escrow.queryFilter(escrow.filters.DisputeResolved(), fromBlock)) {
    settle(e, e.args.jobId, e.args.platformFee, e.args.communityFee);
  }
  for (const e of await escrow.queryFilter(escrow.filters.Credited(), fromBlock)) {
    entries.push({
      block: e.blockNumber,
      index: e.index,
      apply: (l) => add(l, e.args.token, e.args.account, e.args.amount),
    });
  }
  for (const e of await escrow.queryFilter(escrow.filters.Withdrawn(), fromBlock)) {
    entries.push({
      block: e.blockNumber,
      index: e.index,
      apply: (l) => {
        add(l, e.args.token, e.args.account, -e.args.amount);
        expect(
          l.get(key(e.args.token, e.args.account)),
          "a withdrawal exceeds the replayed credit",
        ).to.be.gte(0n);
      },
    });
  }
  entries.sort((a, b) => a.block - b.block || a.index - b.index);
  const ledger: Ledger = new Map();
  for (const entry of entries) entry.apply(ledger);
  return ledger;
}

/**
 * Asserts that the replay of the logs equals `withdrawable(token, account)` for every account the logs
 * name and every account in `accounts` (so a credit that was never announced is caught too), for each
 * token in `tokens`. Returns how many non-zero balances it compared.
 */
export async function expectLedgerMatchesState(
  escrow: IWorkEscrow,
  tokens: string[],
  accounts: string[],
): Promise<number> {
  const ledger = await replayCredits(escrow);
  const everyone = new Set(accounts.map((a) => a.toLowerCase()));
  for (const k of ledger.keys()) everyone.add(k.split(":")[1]);
  let nonZero = 0;
  for (const token of tokens) {
    for (const account of everyone) {
      const onChain = await escrow.withdrawable(token, account);
      const replayed = ledger.get(key(token, account)) ?? 0n;
      expect(replayed, `replayed credit of ${account} in ${token}`).to.equal(onChain);
      if (onChain !== 0n) nonZero++;
    }
  }
  return nonZero;
}
