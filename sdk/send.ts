/**
 * How every part of the ethers SDK (EscrowClient, bids, funding, relay, arbitration, ERC-8004) sends a
 * transaction from one signer, so consecutive calls are reliable on any provider.
 *
 * A local `Wallet` asks the node for its pending nonce before each transaction, and ethers caches that
 * answer for a moment (250 ms), so two quick transactions (accept then submit, vote then collect a
 * fee) would get the same nonce. Here a Wallet's nonce is the larger of the node's pending count and
 * the last one this process used plus one, and one broadcast at a time per wallet (per provider), so
 * two concurrent calls never pick the same nonce. Other signers (browser wallets, node accounts) let
 * their node assign it.
 */
import { BaseWallet, type ContractRunner, type Overrides, type Provider } from "ethers";

const walletNonces = new WeakMap<object, Map<string, { next: number; lock: Promise<unknown> }>>();

/** Broadcasts `send` from `runner` (with a nonce when it is a local Wallet); resolves to the response. */
export async function broadcast<T>(
  runner: ContractRunner | null | undefined,
  send: (overrides: Overrides) => Promise<T>,
): Promise<T> {
  if (!(runner instanceof BaseWallet) || !runner.provider) return send({});
  const provider: Provider = runner.provider;
  let nonces = walletNonces.get(provider);
  if (!nonces) walletNonces.set(provider, (nonces = new Map()));
  const address = runner.address.toLowerCase();
  const entry = nonces.get(address) ?? { next: 0, lock: Promise.resolve() };
  nonces.set(address, entry);
  const turn = entry.lock.then(async () => {
    const pending = await provider.getTransactionCount(address, "pending");
    const nonce = Math.max(pending, entry.next);
    const tx = await send({ nonce });
    entry.next = nonce + 1;
    return tx;
  });
  entry.lock = turn.catch(() => undefined);
  return turn;
}
