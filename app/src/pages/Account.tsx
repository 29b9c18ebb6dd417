/**
 * The connected account: its jobs (the SDK's `jobsOf`, from logs), its credits in each token
 * (`withdrawable`, with a withdraw button), and the community fund's rounds with its claims.
 */
import { useId, useState } from "react";
import { NATIVE, RoundStatus, toEscrowError, type JobMembership, type JobView } from "work-escrow";
import { ICommunityFund__factory } from "work-escrow/typechain";
import { createdJobs } from "../board";
import { Address, Amount, TxStatus, useSendBlocker, useToken, useTx } from "../components";
import type { Deployment } from "../config";
import { formatAmount, formatDate, statusName } from "../format";
import { claimEntry } from "../merkle";
import { useApp, useChainData, useChainNow } from "../state";

interface AccountData {
  jobs: { membership: JobMembership; job: JobView }[];
  credits: { token: string; amount: bigint }[];
  fund: string;
  rounds: {
    id: bigint;
    token: string;
    status: number;
    root: string;
    total: bigint;
    claimed: bigint;
    claimsOpenAt: bigint;
    expiresAt: bigint;
    coveredUntil: bigint;
    uri: string;
    mine: boolean;
  }[];
}

async function loadAccount(d: Deployment, account: string): Promise<AccountData> {
  const range = { fromBlock: d.fromBlock };
  const [memberships, created, fund] = await Promise.all([
    d.client.jobsOf(account, range),
    createdJobs(d),
    d.config.fund ? Promise.resolve(d.config.fund) : d.client.contract.communityFund(),
  ]);
  const tokens = [...new Set([NATIVE, ...created.map((c) => c.token)].map((t) => t.toLowerCase()))];
  const fundContract = ICommunityFund__factory.connect(fund, d.reader);
  const [jobs, amounts, count] = await Promise.all([
    Promise.all(
      memberships.map(async (m) => ({ membership: m, job: await d.client.getJob(m.jobId) })),
    ),
    Promise.all(tokens.map((t) => d.client.withdrawable(t, account))),
    fundContract.roundCount().catch(() => 0n),
  ]);
  const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
  const rounds = await Promise.all(
    ids.map(async (id) => {
      const [r, mine] = await Promise.all([
        fundContract.getRound(id),
        fundContract.isClaimed(id, account),
      ]);
      return {
        id,
        token: r.token,
        status: Number(r.status),
        root: r.root,
        total: r.total,
        claimed: r.claimed,
        claimsOpenAt: r.claimsOpenAt,
        expiresAt: r.expiresAt,
        coveredUntil: r.coveredUntil,
        uri: r.uri,
        mine,
      };
    }),
  );
  return {
    jobs: jobs.sort((a, b) => (a.job.id < b.job.id ? 1 : -1)),
    credits: tokens.map((token, i) => ({ token, amount: amounts[i] })).filter((c) => c.amount > 0n),
    fund,
    rounds: rounds.reverse(),
  };
}

export function Account() {
  const { deployment, wallet } = useApp();
  const account = wallet.session?.account;
  const loaded = useChainData(
    async () => (account ? loadAccount(deployment, account) : undefined),
    [account],
  );
  const creditTx = useTx();
  const fundTx = useTx();
  const blocker = useSendBlocker();

  if (!account)
    return (
      <>
        <h1 tabIndex={-1}>My account</h1>
        <p>{blocker ?? "Connect your wallet to see your jobs, credits and claims."}</p>
      </>
    );
  const data = loaded.data;
  return (
    <>
      <h1 tabIndex={-1}>My account</h1>
      <p>
        Connected as <Address address={account} />.
      </p>
      {loaded.error ? <p role="alert">Could not read your account: {loaded.error}</p> : null}

      <section aria-labelledby="account-jobs">
        <h2 id="account-jobs">Your jobs</h2>
        {!data ? (
          <p role="status">Loading…</p>
        ) : data.jobs.length === 0 ? (
          <p>You take part in no job yet.</p>
        ) : (
          <ul className="cards">
            {data.jobs.map(({ membership, job }) => (
              <li key={job.id.toString()}>
                <article className="card" aria-label={`Job #${job.id}`}>
                  <h3>
                    <a href={`#/job/${job.id}`}>Job #{job.id.toString()}</a>
                  </h3>
                  <p>
                    <Amount value={job.amount} token={job.token} /> · {statusName(job.status)} · you
                    are {membership.roles.join(", ")}
                  </p>
                </article>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="account-credits">
        <h2 id="account-credits">Credits</h2>
        <p>
          Payments that could not be pushed to you, fees and arbitration or verifier fees wait here
          until you withdraw them.
        </p>
        <TxStatus state={creditTx.state} />
        {!data ? null : data.credits.length === 0 ? (
          <p>Nothing to withdraw.</p>
        ) : (
          <ul className="credits">
            {data.credits.map((c) => (
              <Credit
                key={c.token}
                token={c.token}
                amount={c.amount}
                tx={creditTx}
                disabled={!!blocker}
              />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="account-fund">
        <h2 id="account-fund">Community fund</h2>
        {!data ? null : (
          <>
            <p>
              The fund at <Address address={data.fund} /> returns the community fee to providers in
              rounds. A round pays the entries of its tree file: paste your entry or the whole file
              to claim.
            </p>
            <TxStatus state={fundTx.state} />
            {data.rounds.length === 0 ? (
              <p>No round has been posted yet.</p>
            ) : (
              <ul className="cards">
                {data.rounds.map((r) => (
                  <Round
                    key={r.id.toString()}
                    round={r}
                    account={account}
                    tx={fundTx}
                    disabled={!!blocker}
                  />
                ))}
              </ul>
            )}
          </>
        )}
      </section>
    </>
  );
}

type Tx = ReturnType<typeof useTx>;

function Credit({
  token,
  amount,
  tx,
  disabled,
}: {
  token: string;
  amount: bigint;
  tx: Tx;
  disabled: boolean;
}) {
  const { wallet } = useApp();
  const info = useToken(token);
  const label = `Withdraw ${info ? formatAmount(amount, info) : `${amount} base units`}`;
  return (
    <li>
      <Amount value={amount} token={token} />{" "}
      <button
        type="button"
        disabled={disabled || tx.busy !== undefined}
        onClick={() =>
          void tx.run(
            label,
            () => wallet.client!.withdraw(token),
            () => "Sent to your address.",
          )
        }
      >
        {label}
      </button>
    </li>
  );
}

function Round({
  round,
  account,
  tx,
  disabled,
}: {
  round: AccountData["rounds"][number];
  account: string;
  tx: Tx;
  disabled: boolean;
}) {
  const { deployment, wallet } = useApp();
  const now = useChainNow();
  const [text, setText] = useState("");
  const inputId = useId();
  const headingId = useId();
  const live = round.status === RoundStatus.Live;
  const open = live && now >= round.claimsOpenAt && now < round.expiresAt;
  const label = `Claim from round #${round.id}`;
  const state = !live
    ? (RoundStatus[round.status] ?? `status ${round.status}`)
    : now < round.claimsOpenAt
      ? `Live: claims open ${formatDate(round.claimsOpenAt)}`
      : now < round.expiresAt
        ? `Live: claims open until ${formatDate(round.expiresAt)}`
        : "Live, claim period over (can be expired)";

  const claim = async () => {
    let entry;
    try {
      entry = claimEntry(text, account, round.root);
    } catch (err) {
      return tx.fail(label, (err as Error).message);
    }
    const fund = ICommunityFund__factory.connect(
      deployment.config.fund ?? (await deployment.client.contract.communityFund()),
      wallet.session!.signer,
    );
    await tx.run(
      label,
      async () => {
        try {
          return await (
            await fund.claim(round.id, entry.account, entry.amount, entry.proof)
          ).wait();
        } catch (err) {
          throw toEscrowError(err);
        }
      },
      () => `Paid to ${entry.account}.`,
    );
  };

  return (
    <li>
      <article className="card" aria-labelledby={headingId}>
        <h3 id={headingId}>Round #{round.id.toString()}</h3>
        <dl>
          <dt>Status</dt>
          <dd>{state}</dd>
          <dt>Total</dt>
          <dd>
            <Amount value={round.total} token={round.token} /> (claimed{" "}
            <Amount value={round.claimed} token={round.token} />)
          </dd>
          {round.coveredUntil > 0n ? (
            <>
              <dt>Rewards</dt>
              <dd>payments until {formatDate(round.coveredUntil)}</dd>
            </>
          ) : null}
          <dt>You</dt>
          <dd>{round.mine ? "claimed" : "not claimed"}</dd>
          {round.uri ? (
            <>
              <dt>Tree file</dt>
              <dd className="hash">{round.uri}</dd>
            </>
          ) : null}
        </dl>
        {open && !round.mine ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void claim();
            }}
          >
            <div className="field">
              <label htmlFor={inputId}>
                Your entry or the round's tree file (JSON) for round #{round.id.toString()}
              </label>
              <textarea
                id={inputId}
                rows={4}
                spellCheck={false}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            </div>
            <button type="submit" disabled={disabled || tx.busy !== undefined}>
              {label}
            </button>
          </form>
        ) : null}
      </article>
    </li>
  );
}
