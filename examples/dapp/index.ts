/**
 * How a dapp uses the package: the SDK from "work-escrow", the raw typechain bindings from
 * "work-escrow/typechain". `npm test` type-checks this file against the built package (dist/), so
 * the published types are what a dapp sees. It is an example, not run against a chain.
 */
import { BrowserProvider, JsonRpcProvider, parseEther, type Eip1193Provider } from "ethers";
import {
  EscrowClient,
  EscrowError,
  Status,
  hashContent,
  isAllowedNow,
  parseDeadline,
  type JobView,
  type NextAction,
} from "work-escrow";
import { IWorkEscrow__factory, type IWorkEscrow } from "work-escrow/typechain";

/** Create a bonded job with a keeper tip from a browser wallet and return its id. */
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
      amount: parseEther("0.1"),
      deadline: parseDeadline("3d", now),
      jobHash: hashContent(spec),
      arbitrator,
      providerBond: parseEther("0.01"), // posted by whoever accepts
      keeperTip: parseEther("0.001"), // paid on top, to whoever finalises it
    });
    return jobId;
  } catch (err) {
    // Reverts, checks the SDK made before sending (err.decoded.preflight), wallet and nonce problems.
    if (err instanceof EscrowError) console.error(err.decoded.name, err.message); // in words
    throw err;
  }
}

/** Read-only: a job, what an account can do now, and the account's jobs. */
export async function dashboard(rpcUrl: string, escrowAddress: string, account: string) {
  const escrow = new EscrowClient(escrowAddress, new JsonRpcProvider(rpcUrl));
  const jobs = await escrow.jobsOf(account);
  const views: JobView[] = await Promise.all(jobs.map((j) => escrow.getJob(j.jobId)));
  const open = views.filter((j) => j.status === Status.Open);
  const now = BigInt((await escrow.provider.getBlock("latest"))!.timestamp);
  const next: NextAction[] =
    open.length > 0
      ? (await escrow.nextActions(open[0].id, account)).filter((a) => isAllowedNow(a, now))
      : [];
  const due = await escrow.finalizable(); // jobs a keeper can finalise now
  const stop = escrow.watch((e) => console.log(e.name, e.jobId));
  stop();
  return { views, next, due };
}

/** The generated bindings of the whole surface, for calls the SDK does not wrap. */
export function raw(escrowAddress: string, rpcUrl: string): IWorkEscrow {
  return IWorkEscrow__factory.connect(escrowAddress, new JsonRpcProvider(rpcUrl));
}
