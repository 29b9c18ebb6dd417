import type { Log, Provider } from "ethers";

/** A block range to read logs from. */
export interface LogRange {
  /** first block to scan; default 0 (pass the deployment block on long chains) */
  fromBlock?: number;
  /** last block to scan; default the latest block */
  toBlock?: number;
  /** blocks per eth_getLogs request (RPC providers cap the range); default 10,000 */
  chunkSize?: number;
}

/** eth_getLogs for one address over a block range, one request per `chunkSize` blocks, in order. */
export async function getLogsInChunks(
  provider: Provider,
  address: string,
  topics: (string | string[] | null)[],
  range: LogRange = {},
): Promise<Log[]> {
  const toBlock = range.toBlock ?? (await provider.getBlockNumber());
  const chunk = range.chunkSize ?? 10_000;
  const out: Log[] = [];
  for (let from = range.fromBlock ?? 0; from <= toBlock; from += chunk) {
    out.push(
      ...(await provider.getLogs({
        address,
        topics,
        fromBlock: from,
        toBlock: Math.min(from + chunk - 1, toBlock),
      })),
    );
  }
  return out;
}
