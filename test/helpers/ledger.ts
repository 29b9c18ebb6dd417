import { expect } from "chai";
import type { IWorkEscrow } from "../../typechain-types/index.js";

/** `token:account` (both lower-case) → withdrawable amount. */
export type Ledger = Map<string, bigint>;

const key = (token: string, account: string) => `${token.toLowerCase()}:${account.toLowerCase()}`;

/**
 * Rebuilds every withdrawable balance from the escrow's logs alone, as an indexer would:
 * `FeeRecipientsUpdated(epoch, treasury, fund)` says who receives the fees of an epoch,
 * `FeesCredited(jobId, token, epoch, platform, community)` credits them, `Credited(jobId, token,
 * account, amount)` credits a failed push, an arbitration fee or a verifier fee, and `Withdrawn(token,
 * account, to, amount)` debits. No contract state is read.
 */
export async function replayCredits(escrow: IWorkEscrow, fromBlock = 0): Promise<Ledger> {
  const recipients = new Map<bigint, { treasury: string; fund: string }>();
  for (const e of await escrow.queryFilter(escrow.filters.FeeRecipientsUpdated(), fromBlock)) {
    recipients.set(e.args.epoch, { treasury: e.args.treasury, fund: e.args.communityFund });
  }
  type Entry = { block: number; index: number; apply: (l: Ledger) => void };
  const entries: Entry[] = [];
  const add = (l: Ledger, token: string, account: string, amount: bigint) =>
    l.set(key(token, account), (l.get(key(token, account)) ?? 0n) + amount);

  for (const e of await escrow.queryFilter(escrow.filters.FeesCredited(), fromBlock)) {
    const r = recipients.get(e.args.epoch);
    expect(r, `FeesCredited of job ${e.args.jobId} names an unannounced epoch ${e.args.epoch}`).to
      .not.be.undefined;
    entries.push({
      block: e.blockNumber,
      index: e.index,
      apply: (l) => {
        add(l, e.args.token, r!.treasury, e.args.platformFee);
        add(l, e.args.token, r!.fund, e.args.communityFee);
      },
    });
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
