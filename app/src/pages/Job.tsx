/**
 * One job: its terms, its clock (deadline, review window, arbitration period) counting down in chain
 * time, what the connected account can do now (the SDK's `nextActions`), how it ended, and every
 * event in order.
 */
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { isHexString, parseUnits } from "ethers";
import {
  NATIVE,
  Status,
  Verdict,
  bidFromJson,
  hashContent,
  isAllowedNow,
  nextActions,
  reviewEnd,
  verifyBid,
  type AccountContext,
  type ActionCall,
  type JobEvent,
  type JobView,
  type NextAction,
  type TxResult,
} from "work-escrow";
import type { Deployment } from "../config";
import {
  Address,
  Amount,
  Countdown,
  TxStatus,
  useSendBlocker,
  useToken,
  useTx,
} from "../components";
import {
  NATIVE_TOKEN,
  formatAmount,
  formatCountdown,
  formatDate,
  formatPeriod,
  jobTypeName,
  percent,
  same,
  statusName,
  tokenInfo,
  type TokenInfo,
} from "../format";
import { useApp, useChainData, useChainNow } from "../state";
import { describeEvent, ending, namer, resolutionText } from "../timeline";

interface JobData {
  job: JobView;
  events: JobEvent[];
  times: Map<number, bigint>;
  approvers: string[];
  ctx?: AccountContext;
  token: TokenInfo;
}

const blockTimes = new Map<number, bigint>();

async function loadJob(d: Deployment, id: bigint, account?: string): Promise<JobData | undefined> {
  const job = await d.client.getJob(id);
  if (job.status === Status.None) return undefined;
  const range = { fromBlock: d.fromBlock };
  const [events, approvers, ctx, token] = await Promise.all([
    d.client.events(range, id),
    job.threshold > 0 ? d.client.approversOf(id, range) : Promise.resolve([]),
    account ? d.client.accountContext(job, account) : Promise.resolve(undefined),
    tokenInfo(d.reader, job.token),
  ]);
  await Promise.all(
    [...new Set(events.map((e) => e.log.blockNumber))]
      .filter((b) => !blockTimes.has(b))
      .map(async (b) => blockTimes.set(b, BigInt((await d.reader.getBlock(b))!.timestamp))),
  );
  return { job, events, times: blockTimes, approvers, ctx, token };
}

export function JobPage({ id }: { id: bigint }) {
  const { deployment, wallet } = useApp();
  const account = wallet.session?.account;
  const loaded = useChainData(() => loadJob(deployment, id, account), [id.toString(), account]);
  const now = useChainNow();

  if (loaded.error && !loaded.data)
    return (
      <>
        <h1 tabIndex={-1}>Job #{id.toString()}</h1>
        <p role="alert">
          Could not read job #{id.toString()}: {loaded.error}
        </p>
      </>
    );
  if (!loaded.data)
    return (
      <>
        <h1 tabIndex={-1}>Job #{id.toString()}</h1>
        <p role="status">{loaded.loading ? "Loading the job…" : `Job #${id} does not exist.`}</p>
      </>
    );
  const { job, events, times, approvers, ctx, token } = loaded.data;
  const who = namer(job, account, approvers);
  const roles = [
    same(account, job.requester) && "requester",
    job.provider !== NATIVE && same(account, job.provider) && "provider",
    same(account, job.arbitrator) && "arbitrator",
    ctx?.isApprover && "approver",
    job.verifier !== NATIVE && same(account, job.verifier) && "verifier",
  ].filter(Boolean) as string[];
  const ended = ending(events);

  return (
    <>
      <h1 tabIndex={-1}>Job #{id.toString()}</h1>
      <p className="lead">
        <strong>Status: {statusName(job.status)}</strong> · {formatAmount(job.amount, token)} ·{" "}
        {jobTypeName(job.jobType)}
      </p>
      {account ? (
        <p>
          {roles.length > 0 ? `Your role: ${roles.join(", ")}.` : "You have no role in this job."}
        </p>
      ) : null}

      <section aria-labelledby="job-clock">
        <h2 id="job-clock">Clock</h2>
        <Clock job={job} now={now} events={events} times={times} />
      </section>

      {ended ? (
        <section aria-labelledby="job-outcome">
          <h2 id="job-outcome">Outcome</h2>
          <Outcome job={job} event={ended} token={token} who={who} />
        </section>
      ) : null}

      <section aria-labelledby="job-actions">
        <h2 id="job-actions">What you can do</h2>
        <Actions job={job} ctx={ctx} now={now} token={token} />
      </section>

      <section aria-labelledby="job-terms">
        <h2 id="job-terms">Terms</h2>
        <Terms job={job} approvers={approvers} />
      </section>

      <section aria-labelledby="job-timeline">
        <h2 id="job-timeline">Timeline</h2>
        <ol className="timeline">
          {events.flatMap((e) => {
            const text = describeEvent(e, job, token, who);
            if (text === undefined) return [];
            const t = times.get(e.log.blockNumber);
            return [
              <li key={`${e.log.transactionHash}-${e.log.index}`}>
                {t !== undefined ? (
                  <time dateTime={new Date(Number(t) * 1000).toISOString()}>{formatDate(t)}</time>
                ) : null}{" "}
                <span>{text}</span>
              </li>,
            ];
          })}
        </ol>
      </section>
    </>
  );
}

/* ------------------------------------------------------------------------------------ clock */

function Clock({
  job,
  now,
  events,
  times,
}: {
  job: JobView;
  now: bigint;
  events: JobEvent[];
  times: Map<number, bigint>;
}) {
  const s = job.status;
  // The SDK's: submittedAt + reviewPeriod, or a whole new window from a verifier's rejection.
  const reviewEndAt = reviewEnd(job);
  const arbitrationEnd = job.disputedAt + job.arbitrationPeriod;
  const endedAt = (() => {
    const e = ending(events);
    return e ? times.get(e.log.blockNumber) : undefined;
  })();
  const live = s === Status.Open || s === Status.Accepted;

  return (
    <ul className="timers">
      <li>
        {live ? (
          <Countdown label="Deadline" target={job.deadline} now={now} inclusive>
            {s === Status.Open
              ? "The job can be accepted until then. After it, anyone can refund the requester."
              : "The provider must submit the work by then. After it, anyone can refund the requester."}
          </Countdown>
        ) : (
          <Fixed label="Deadline">
            {formatDate(job.deadline)}
            {job.submittedAt > 0n ? ` — met: work submitted ${formatDate(job.submittedAt)}` : ""}
          </Fixed>
        )}
      </li>
      <li>
        {s === Status.Submitted ? (
          <Countdown label="Review window" target={reviewEndAt} now={now} total={job.reviewPeriod}>
            {job.verdict === Verdict.Rejected
              ? "The verifier rejected the work: a new window for the provider, who can dispute until then; after it, anyone can refund the requester."
              : "Until then the requester can release or dispute, and the provider can dispute. After it, anyone can release the payment to the provider."}
          </Countdown>
        ) : (
          <Fixed label="Review window">
            {job.submittedAt === 0n
              ? `${formatPeriod(job.reviewPeriod)}, from the moment the work is submitted.`
              : s === Status.Disputed || job.disputedAt > 0n
                ? `interrupted by a dispute ${formatDate(job.disputedAt)}.`
                : `${formatDate(reviewEndAt - job.reviewPeriod)} to ${formatDate(reviewEndAt)}${endedAt !== undefined && endedAt < reviewEndAt ? " (the job ended before it closed)" : ""}.`}
          </Fixed>
        )}
      </li>
      <li>
        {s === Status.Disputed ? (
          <Countdown
            label="Arbitration period"
            target={arbitrationEnd}
            now={now}
            total={job.arbitrationPeriod}
          >
            The arbitrator can rule until then. After it, anyone can settle the dispute 50/50.
          </Countdown>
        ) : (
          <Fixed label="Arbitration period">
            {job.disputedAt > 0n
              ? `${formatDate(job.disputedAt)} to ${formatDate(arbitrationEnd)}; the dispute is over.`
              : `${formatPeriod(job.arbitrationPeriod)} for the arbitrator to rule, from a dispute.`}
          </Fixed>
        )}
      </li>
    </ul>
  );
}

function Fixed({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="timer">
      <span className="timer-label">{label}</span> <span>{children}</span>
    </div>
  );
}

/* ---------------------------------------------------------------------------------- outcome */

function Outcome({
  job,
  event,
  token,
  who,
}: {
  job: JobView;
  event: JobEvent;
  token: TokenInfo;
  who: (a: unknown) => string;
}) {
  const a = event.args as Record<string, any>;
  const amt = (v: unknown) => formatAmount(BigInt(v as bigint), token);
  let headline: string;
  let rows: [string, string][] = [];
  switch (event.name) {
    case "JobReleased":
      headline = `Released: the provider was paid.`;
      rows = [
        ["To the provider", amt(a.providerAmount)],
        ["Platform fee", amt(a.platformFee)],
        ["Community fee", amt(a.communityFee)],
      ];
      break;
    case "JobRefunded":
      headline = `Refunded to the requester.`;
      rows = [["To the requester", amt(a.amount)]];
      break;
    case "JobCancelled":
      headline = `Cancelled by the requester before anyone started.`;
      rows = [["Returned to the requester", amt(a.amount)]];
      break;
    default:
      headline = `${resolutionText(Number(a.resolution), Number(a.providerBps))}.`;
      rows = [
        ["Provider's share", percent(a.providerBps)],
        ["To the provider", amt(a.providerAmount)],
        ["To the requester", amt(a.requesterAmount)],
        ["Platform fee", amt(a.platformFee)],
        ["Community fee", amt(a.communityFee)],
        ["Arbitration fee", amt(a.arbitrationFee)],
      ];
  }
  if (job.released > 0n) rows.push(["Released earlier in parts", amt(job.released)]);
  if (job.refunded > 0n) rows.push(["Refunded earlier in parts", amt(job.refunded)]);
  return (
    <>
      <p>
        <strong>{headline}</strong> (by {who(a.caller ?? a.requester)})
      </p>
      <dl className="split">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/* ------------------------------------------------------------------------------------ terms */

function Terms({ job, approvers }: { job: JobView; approvers: string[] }) {
  const rows: [string, ReactNode][] = [
    [
      job.status >= Status.Released ? "Amount" : "Amount in escrow",
      <Amount value={job.amount} token={job.token} />,
    ],
    ["Token", job.token === NATIVE ? "ETH (native coin)" : <Address address={job.token} />],
    ["Type", jobTypeName(job.jobType)],
    ["Requester", <Address address={job.requester} />],
    [
      "Provider",
      job.provider === NATIVE ? (
        job.bidsOnly ? (
          "not chosen yet (by bid only)"
        ) : (
          "open to anyone"
        )
      ) : (
        <Address address={job.provider} />
      ),
    ],
    [
      "Arbitrator",
      <>
        <Address address={job.arbitrator} /> (rules within {formatPeriod(job.arbitrationPeriod)})
      </>,
    ],
    ["Review period", formatPeriod(job.reviewPeriod)],
  ];
  if (job.threshold > 0)
    rows.push([
      "Approvers",
      <>
        {job.approvals} of {job.threshold} approvals needed from{" "}
        {approvers.map((a, i) => (
          <span key={a}>
            {i > 0 ? ", " : ""}
            <Address address={a} />
          </span>
        ))}
      </>,
    ]);
  if (job.verifier !== NATIVE)
    rows.push([
      "Verifier",
      <>
        <Address address={job.verifier} /> (fee {percent(job.verifierFeeBps)}, verdict{" "}
        {Verdict[job.verdict]})
      </>,
    ]);
  if (job.providerBond > 0n)
    rows.push([
      "Provider bond",
      <>
        <Amount value={job.providerBond} token={job.token} />
        {job.bondPosted ? " (posted)" : " (posted on acceptance)"}
      </>,
    ]);
  if (job.keeperTip > 0n)
    rows.push(["Keeper tip", <Amount value={job.keeperTip} token={job.token} />]);
  rows.push([
    "Fees",
    `platform ${percent(job.platformFeeBps)}, community ${percent(job.communityFeeBps)}, arbitration ${percent(job.arbitrationFeeBps)}`,
  ]);
  if (job.disputeDeposit > 0n)
    rows.push(["Dispute deposit held", <Amount value={job.disputeDeposit} token={job.token} />]);
  if (job.proposer !== NATIVE)
    rows.push([
      "Standing offer",
      <>
        {percent(job.proposalBps)} to the provider, offered by <Address address={job.proposer} />
      </>,
    ]);
  rows.push(["Job hash", <code className="hash">{job.jobHash}</code>]);
  if (job.submittedAt > 0n)
    rows.push(["Result hash", <code className="hash">{job.resultHash}</code>]);
  return (
    <dl className="terms">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/* ---------------------------------------------------------------------------------- actions */

const LABELS: Record<ActionCall, string> = {
  cancel: "Cancel the job",
  award: "Award a bid",
  accept: "Accept the job",
  submit: "Submit the work",
  release: "Release the payment",
  "release-part": "Release part of the payment",
  "refund-part": "Refund part of the payment",
  approve: "Approve the work",
  verify: "Give the verdict",
  refund: "Refund the requester",
  finalize: "Finalize",
  dispute: "Raise a dispute",
  evidence: "Publish evidence",
  propose: "Offer a settlement",
  "accept-settlement": "Accept the settlement offer",
  resolve: "Rule on the dispute",
  "settle-stale": "Settle the dispute 50/50",
};

function Actions({
  job,
  ctx,
  now,
  token,
}: {
  job: JobView;
  ctx?: AccountContext;
  now: bigint;
  token: TokenInfo;
}) {
  const { wallet } = useApp();
  const blocker = useSendBlocker();
  const tx = useTx();
  const account = wallet.session?.account;
  if (!account || !ctx) return <p>{blocker ?? "Connect your wallet to see what you can do."}</p>;
  const all = nextActions(job, account, now, ctx);
  const available = all.filter((a) => isAllowedNow(a, now));
  const later = all.filter((a) => a.from !== undefined && a.from > now);
  return (
    <>
      <TxStatus state={tx.state} />
      {blocker ? <p>{blocker}</p> : null}
      {available.length === 0 ? (
        <p>Nothing you can do on this job now.</p>
      ) : (
        <ul className="actions">
          {available.map((a) => (
            <li key={a.call}>
              <ActionForm
                action={a}
                job={job}
                now={now}
                token={token}
                tx={tx}
                disabled={!!blocker}
              />
            </li>
          ))}
        </ul>
      )}
      {later.length > 0 ? (
        <>
          <h3>Later</h3>
          <ul className="later">
            {later.map((a) => (
              <li key={a.call}>
                <strong>{LABELS[a.call]}</strong> ({DESCRIPTIONS[a.call] ?? a.description}): opens
                in {formatCountdown(a.from! - now)}, at {formatDate(a.from!)}.
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

type Tx = ReturnType<typeof useTx>;

/** One action: its inputs (checked here), the button, and the SDK call. */
function ActionForm({
  action,
  job,
  now,
  token,
  tx,
  disabled,
}: {
  action: NextAction;
  job: JobView;
  now: bigint;
  token: TokenInfo;
  tx: Tx;
  disabled: boolean;
}) {
  const { wallet, deployment } = useApp();
  const info = useToken(job.token) ?? (job.token === NATIVE ? NATIVE_TOKEN : token);
  const headingId = useId();
  const inputId = useId();
  const hintId = useId();
  const [text, setText] = useState("");
  const label = LABELS[action.call];
  const client = wallet.client!;
  const id = job.id;

  const input = INPUTS[action.call];
  const run = async (send: () => Promise<TxResult | unknown>, done?: string) =>
    void (await tx.run(label, send, () => done ?? ""));

  const submit = async (e: FormEvent, verdict?: boolean) => {
    e.preventDefault();
    const fail = (why: string) => tx.fail(label, why);
    const value = text.trim();
    switch (action.call) {
      case "cancel":
        return run(() => client.cancel(id), "The payment went back to you.");
      case "accept":
        return run(
          () => client.accept(id),
          "You are the provider: submit the work before the deadline.",
        );
      case "submit": {
        if (value === "") return fail("describe the result or paste its 0x… hash.");
        const hash = isHexString(value, 32) ? value : hashContent(value);
        return run(() => client.submit(id, hash), "The review window has started.");
      }
      case "release":
        return run(() => client.release(id), "The provider was paid.");
      case "release-part":
      case "refund-part": {
        let amount: bigint;
        try {
          amount = parseUnits(value, info.decimals);
        } catch {
          return fail(`"${value}" is not an amount of ${info.symbol}.`);
        }
        if (amount <= 0n || amount > job.amount)
          return fail(
            `the amount must be more than 0 and at most ${formatAmount(job.amount, info)}.`,
          );
        return action.call === "release-part"
          ? run(() => client.releasePartial(id, amount))
          : run(() => client.refundPartial(id, amount));
      }
      case "approve":
        return run(() => client.approve(id), "Your approval is recorded.");
      case "verify":
        return run(() => client.verify(id, verdict === true), verdict ? "Approved." : "Rejected.");
      case "refund":
        return run(() => client.refund(id), "The requester was refunded.");
      case "finalize":
        return run(() => client.finalize([id]));
      case "dispute":
        if (value === "") return fail("say why you dispute the work.");
        return run(() => client.dispute(id, value), "The arbitrator can now rule.");
      case "evidence":
        if (value === "") return fail("give the evidence's URI.");
        return run(() => client.evidence(id, value));
      case "propose":
      case "resolve": {
        const bps = toBps(value);
        if (bps === undefined)
          return fail("the provider's share must be a percentage from 0 to 100.");
        return action.call === "propose"
          ? run(() => client.propose(id, bps), "The other party can accept it.")
          : run(() => client.resolve(id, bps), "The dispute is resolved.");
      }
      case "accept-settlement":
        return run(() => client.acceptSettlement(id, job.proposalBps), "The job is settled.");
      case "settle-stale":
        return run(() => client.settleStale(id), "Split 50/50.");
      case "award": {
        let signed;
        try {
          signed = bidFromJson(value);
        } catch (err) {
          return fail((err as Error).message);
        }
        const check = await verifyBid(deployment.client.contract, signed, { jobId: id });
        if (!check.valid) return fail(check.problems.map((p) => p.message).join("; "));
        return run(() => client.awardBid(id, signed.bid, signed.signature), "Bid awarded.");
      }
    }
  };

  const notes: string[] = [DESCRIPTIONS[action.call] ?? sentence(action.description)];
  if (action.pays) notes.push(`You post ${formatAmount(action.pays, info)} with it.`);
  if (action.earns) notes.push(`You earn the keeper tip of ${formatAmount(action.earns, info)}.`);
  if (action.until !== undefined)
    notes.push(
      `Open until ${formatDate(action.until)} (${formatCountdown(action.until - now + 1n)} left).`,
    );
  if (action.call === "accept-settlement")
    notes.push(`The offer: ${percent(job.proposalBps)} of the remaining amount to the provider.`);

  const off = disabled || tx.busy !== undefined;
  return (
    <form
      className="action"
      aria-labelledby={headingId}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h3 id={headingId}>{label}</h3>
      <p id={hintId}>{notes.join(" ")}</p>
      {input ? (
        <div className="field">
          <label htmlFor={inputId}>{input.label(info)}</label>
          {input.multiline ? (
            <textarea
              id={inputId}
              value={text}
              rows={4}
              onChange={(e) => setText(e.target.value)}
              aria-describedby={hintId}
            />
          ) : (
            <input
              id={inputId}
              value={text}
              inputMode={input.numeric ? "decimal" : undefined}
              onChange={(e) => setText(e.target.value)}
              aria-describedby={hintId}
              autoComplete="off"
            />
          )}
        </div>
      ) : null}
      {action.call === "verify" ? (
        <div className="buttons">
          <button type="button" disabled={off} onClick={(e) => void submit(e, true)}>
            Approve the work (verifier)
          </button>
          <button type="button" disabled={off} onClick={(e) => void submit(e, false)}>
            Reject the work (verifier)
          </button>
        </div>
      ) : (
        <button type="submit" disabled={off} aria-busy={tx.busy === label}>
          {label}
        </button>
      )}
    </form>
  );
}

/** The SDK's descriptions, but in the page's units (percent, not basis points). */
const DESCRIPTIONS: Partial<Record<ActionCall, string>> = {
  resolve: "Rule a split: the provider's share of the remaining amount, in percent.",
  propose:
    "Offer a split: the provider's share of the remaining amount, in percent (0 = cancel the job together).",
};

const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;

const INPUTS: Partial<
  Record<ActionCall, { label: (t: TokenInfo) => string; numeric?: boolean; multiline?: boolean }>
> = {
  submit: { label: () => "Result (a description, or its 0x… hash)" },
  "release-part": { label: (t) => `Amount to release (${t.symbol})`, numeric: true },
  "refund-part": { label: (t) => `Amount to refund (${t.symbol})`, numeric: true },
  dispute: { label: () => "Reason for the dispute" },
  evidence: { label: () => "Evidence URI" },
  propose: { label: () => "Provider's share (%)", numeric: true },
  resolve: { label: () => "Provider's share (%)", numeric: true },
  award: { label: () => "Signed bid (JSON from escrow:bid)", multiline: true },
};

/** "70" or "70.5" (percent) → basis points, or undefined. */
function toBps(text: string): number | undefined {
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text)) return undefined;
  const bps = Math.round(Number(text) * 100);
  return bps <= 10_000 ? bps : undefined;
}
