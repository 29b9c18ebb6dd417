/**
 * The board's job list from chain logs, when no indexer API is configured: every `JobCreated` of
 * the escrow since its deployment block (the SDK's chunked `getLogsInChunks`), then `getJob` for
 * each. Fine for a local node or a young deployment; a long-lived one wants the API.
 */
import { getLogsInChunks, IWorkEscrow__factory, Status, type JobView } from "work-escrow";
import type { BoardJob, JobPage, JobQuery } from "./api";
import type { Deployment } from "./config";

const escrowInterface = IWorkEscrow__factory.createInterface();
const JOB_CREATED = escrowInterface.getEvent("JobCreated").topicHash;

/** Every job id and its token, from `JobCreated` logs. */
export async function createdJobs(d: Deployment): Promise<{ id: bigint; token: string }[]> {
  const logs = await getLogsInChunks(d.reader, d.escrow, [JOB_CREATED], {
    fromBlock: d.fromBlock,
  });
  return logs.flatMap((log) => {
    const e = escrowInterface.parseLog(log);
    return e ? [{ id: e.args.jobId as bigint, token: e.args.token as string }] : [];
  });
}

export function boardJob(j: JobView): BoardJob {
  return {
    id: j.id,
    requester: j.requester,
    provider: j.provider,
    token: j.token,
    amount: j.amount,
    deadline: j.deadline,
    jobType: j.jobType,
    status: j.status,
    providerBond: j.providerBond,
    keeperTip: j.keeperTip,
    bidsOnly: j.bidsOnly,
  };
}

/** The API's query, answered from logs (newest first, all at once). */
export async function jobsFromLogs(
  d: Deployment,
  q: JobQuery,
  all?: { id: bigint; token: string }[],
): Promise<JobPage> {
  const created = (all ?? (await createdJobs(d))).filter(
    (c) => !q.token || c.token.toLowerCase() === q.token.toLowerCase(),
  );
  const views = await Promise.all(created.map((c) => d.client.getJob(c.id)));
  const jobs = views
    .filter((j) => j.status !== Status.None && (q.status === undefined || j.status === q.status))
    .map(boardJob)
    .sort((a, b) => (a.id < b.id ? 1 : -1));
  return { jobs };
}
