/** The job board: open jobs (or any status), filtered by token and type, from the API or from logs. */
import { useId, useState } from "react";
import { JobType, NATIVE, Status } from "work-escrow";
import { fetchJobs, type BoardJob, type JobPage } from "../api";
import { createdJobs, jobsFromLogs } from "../board";
import { Address, Amount, useToken } from "../components";
import { formatCountdown, formatDate, jobTypeName, statusName } from "../format";
import { useApp, useChainData, useChainNow } from "../state";

const STATUS_CHOICES: { label: string; value?: Status }[] = [
  { label: "Open", value: Status.Open },
  { label: "Accepted", value: Status.Accepted },
  { label: "Submitted", value: Status.Submitted },
  { label: "Disputed", value: Status.Disputed },
  { label: "Released", value: Status.Released },
  { label: "Refunded", value: Status.Refunded },
  { label: "Cancelled", value: Status.Cancelled },
  { label: "Resolved", value: Status.Resolved },
  { label: "Any status" },
];

export function Board() {
  const { deployment } = useApp();
  const api = deployment.config.apiUrl;
  const [statusIndex, setStatusIndex] = useState(0);
  const [token, setToken] = useState("");
  const [jobType, setJobType] = useState("");
  const [pages, setPages] = useState<string[]>([]); // cursors of the pages loaded after the first
  const status = STATUS_CHOICES[statusIndex].value;
  const ids = { status: useId(), token: useId(), type: useId() };

  const query = { status, token: token || undefined };
  const loaded = useChainData(async () => {
    if (!api) {
      const created = await createdJobs(deployment);
      const page = await jobsFromLogs(deployment, query, created);
      return { pages: [page], tokens: created.map((c) => c.token), fallback: undefined };
    }
    try {
      const out: JobPage[] = [await fetchJobs(api, query)];
      for (const cursor of pages) out.push(await fetchJobs(api, { ...query, cursor }));
      return {
        pages: out,
        tokens: out.flatMap((p) => p.jobs.map((j) => j.token)),
        fallback: undefined,
      };
    } catch (err) {
      // The API is down or wrong: say so, and read the chain instead.
      const created = await createdJobs(deployment);
      const page = await jobsFromLogs(deployment, query, created);
      return {
        pages: [page],
        tokens: created.map((c) => c.token),
        fallback: (err as Error).message,
      };
    }
  }, [api, status, token, pages]);

  const all: BoardJob[] = loaded.data?.pages.flatMap((p) => p.jobs) ?? [];
  const jobs = all.filter((j) => jobType === "" || j.jobType === Number(jobType));
  const nextCursor = loaded.data?.pages.at(-1)?.nextCursor;
  const tokens = [
    ...new Set(
      [NATIVE, ...(loaded.data?.tokens ?? []), ...(token ? [token] : [])].map((t) =>
        t.toLowerCase(),
      ),
    ),
  ];
  const heading = status === undefined ? "Jobs" : `${statusName(status)} jobs`;

  return (
    <>
      <h1 tabIndex={-1}>Job board</h1>
      <p role="note" className="source">
        {api && !loaded.data?.fallback
          ? `Reading from the indexer API at ${api}.`
          : api
            ? `Reading from chain logs: ${loaded.data?.fallback}.`
            : "Reading from chain logs (no API configured)."}
      </p>
      <form className="filters" aria-label="Filter jobs" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={ids.status}>Status</label>
          <select
            id={ids.status}
            value={statusIndex}
            onChange={(e) => {
              setStatusIndex(Number(e.target.value));
              setPages([]);
            }}
          >
            {STATUS_CHOICES.map((c, i) => (
              <option key={c.label} value={i}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.token}>Token</label>
          <select
            id={ids.token}
            value={token}
            onChange={(e) => {
              setToken(e.target.value);
              setPages([]);
            }}
          >
            <option value="">All tokens</option>
            {tokens.map((t) => (
              <TokenOption key={t} address={t} />
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.type}>Type</label>
          <select id={ids.type} value={jobType} onChange={(e) => setJobType(e.target.value)}>
            <option value="">All types</option>
            {[JobType.Compute, JobType.Storage, JobType.Agent].map((t) => (
              <option key={t} value={t}>
                {jobTypeName(t)}
              </option>
            ))}
          </select>
        </div>
      </form>

      <section aria-labelledby="board-results">
        <h2 id="board-results">
          {heading}: {loaded.data ? jobs.length : "…"}
        </h2>
        {loaded.error ? (
          <p role="alert">Could not read the jobs: {loaded.error}</p>
        ) : !loaded.data ? (
          <p role="status">Loading jobs…</p>
        ) : jobs.length === 0 ? (
          <p>No {heading.toLowerCase()} match these filters.</p>
        ) : (
          <ul className="cards">
            {jobs.map((j) => (
              <JobCard key={j.id.toString()} job={j} />
            ))}
          </ul>
        )}
        {api && nextCursor ? (
          <button type="button" onClick={() => setPages((p) => [...p, nextCursor])}>
            Load more jobs
          </button>
        ) : null}
      </section>
    </>
  );
}

function TokenOption({ address }: { address: string }) {
  const info = useToken(address === NATIVE ? NATIVE : address);
  const label =
    address === NATIVE ? "ETH (native coin)" : info ? `${info.symbol} (${address})` : address;
  return <option value={address === NATIVE ? NATIVE : address}>{label}</option>;
}

function JobCard({ job }: { job: BoardJob }) {
  const now = useChainNow();
  const headingId = useId();
  const open = job.provider === NATIVE;
  return (
    <li>
      <article className="card" aria-labelledby={headingId}>
        <h3 id={headingId}>
          <a href={`#/job/${job.id}`}>Job #{job.id.toString()}</a>
        </h3>
        <p className="card-amount">
          <Amount value={job.amount} token={job.token} />
        </p>
        <dl>
          <dt>Status</dt>
          <dd>{statusName(job.status)}</dd>
          <dt>Type</dt>
          <dd>{jobTypeName(job.jobType)}</dd>
          <dt>Provider</dt>
          <dd>
            {open ? (
              job.bidsOnly ? (
                "by bid only"
              ) : (
                "open to anyone"
              )
            ) : (
              <Address address={job.provider} />
            )}
          </dd>
          <dt>Requester</dt>
          <dd>
            <Address address={job.requester} />
          </dd>
          <dt>Deadline</dt>
          <dd>
            {now <= job.deadline
              ? `${formatCountdown(job.deadline - now)} left`
              : `passed ${formatDate(job.deadline)}`}
          </dd>
          {job.providerBond > 0n ? (
            <>
              <dt>Bond</dt>
              <dd>
                <Amount value={job.providerBond} token={job.token} />
              </dd>
            </>
          ) : null}
          {job.keeperTip > 0n ? (
            <>
              <dt>Keeper tip</dt>
              <dd>
                <Amount value={job.keeperTip} token={job.token} />
              </dd>
            </>
          ) : null}
        </dl>
      </article>
    </li>
  );
}
