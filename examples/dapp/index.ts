/**
 * How a dapp uses the package: the SDK from "work-escrow", the raw typechain bindings from
 * "work-escrow/typechain". `npm test` type-checks this file against the built package (dist/), so
 * the published types are what a dapp sees. It is an example, not run against a chain.
 */
import { BrowserProvider, JsonRpcProvider, type Eip1193Provider } from "ethers";
import {
  EscrowClient,
  EscrowError,
  Status,
  hashContent,
  parseDeadline,
  type JobView,
  type NextAction,
} from "work-escrow";
import { WorkEscrow__factory, type WorkEscrow } from "work-escrow/typechain";

/** Create a job from a browser wallet and return its id. */
export async function postJob(
  wallet: Eip1193Provider,
  escrowAddress: string,
  spec: string,
  arbitrator: string,
) {
  const signer = await new BrowserProvider(wallet).getSigner();
  const escrow = new EscrowClient(escrowAddress, signer);
  const now = BigInt((await signer.provider.getBlock("latest"))!.timestamp);
  try {
    const { jobId } = await escrow.createJob({
      amount: 10n ** 17n,
      deadline: parseDeadline("3d", now),
      jobHash: hashContent(spec),
      arbitrator,
    });
    return jobId;
  } catch (err) {
    if (err instanceof EscrowError) console.error(err.decoded.name, err.message); // in words
    throw err;
  }
}

/** Read-only: a job, what an account can do next, and the account's jobs. */
export async function dashboard(rpcUrl: string, escrowAddress: string, account: string) {
  const escrow = new EscrowClient(escrowAddress, new JsonRpcProvider(rpcUrl));
  const jobs = await escrow.jobsOf(account);
  const views: JobView[] = await Promise.all(jobs.map((j) => escrow.getJob(j.jobId)));
  const open = views.filter((j) => j.status === Status.Open);
  const next: NextAction[] = open.length > 0 ? await escrow.nextActions(open[0].id, account) : [];
  const stop = escrow.watch((e) => console.log(e.name, e.jobId));
  stop();
  return { views, next };
}

/** The generated bindings, for calls the SDK does not wrap. */
export function raw(escrowAddress: string, rpcUrl: string): WorkEscrow {
  return WorkEscrow__factory.connect(escrowAddress, new JsonRpcProvider(rpcUrl));
}
