/**
 * Post a job: native coin or an ERC-20 (with its approval, or an EIP-2612 permit when the token has
 * one, shown as a step), approvers, provider bond and keeper tip. Every field is checked here, then
 * the whole job by the SDK's `checkCreateJob` (the contract's own rules, read from the escrow)
 * before the wallet is asked for anything.
 */
import { useState, type FormEvent, type ReactNode } from "react";
import { Contract, Signature, getAddress, isAddress, parseUnits } from "ethers";
import {
  IWorkEscrow__factory,
  JobType,
  NATIVE,
  hashContent,
  parseDeadline,
  parseDuration,
  toEscrowError,
  tokenSignatureSupport,
  type CreateJobInput,
} from "work-escrow";
import { TxStatus, useSendBlocker, useTx } from "../components";
import type { Deployment } from "../config";
import {
  NATIVE_TOKEN,
  formatAmount,
  formatDate,
  formatPeriod,
  jobTypeName,
  shortAddress,
  tokenInfo,
  type TokenInfo,
} from "../format";
import { useApp, useChainData, useChainNow } from "../state";
import { trackHashes } from "../wallet";

const ERC20 = [
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function nonces(address owner) view returns (uint256)",
];

/** EIP-2612's Permit type. */
const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

const escrowInterface = IWorkEscrow__factory.createInterface();

/** The arbitrators registered on the escrow (from `ArbitratorUpdated`), with their periods. */
async function arbitrators(d: Deployment): Promise<{ address: string; period: bigint }[]> {
  const topic = escrowInterface.getEvent("ArbitratorUpdated").topicHash;
  const logs = await d.reader.getLogs({
    address: d.escrow,
    topics: [topic],
    fromBlock: d.fromBlock,
  });
  const seen = [
    ...new Set(logs.map((l) => getAddress(escrowInterface.parseLog(l)!.args.arbitrator))),
  ];
  const infos = await Promise.all(seen.map((a) => d.client.arbitratorInfo(a)));
  return seen
    .map((address, i) => ({ address, ...infos[i] }))
    .filter((a) => a.registered)
    .map((a) => ({ address: a.address, period: a.arbitrationPeriod }));
}

interface Form {
  tokenKind: "native" | "erc20";
  token: string;
  amount: string;
  spec: string;
  provider: string;
  jobType: string;
  deadline: string;
  review: string;
  arbitrator: string;
  approvers: string;
  threshold: string;
  bond: string;
  tip: string;
  verifier: string;
  verifierFee: string;
  bidsOnly: boolean;
  usePermit: boolean;
}

const EMPTY: Form = {
  tokenKind: "native",
  token: "",
  amount: "",
  spec: "",
  provider: "",
  jobType: "0",
  deadline: "3d",
  review: "3d",
  arbitrator: "",
  approvers: "",
  threshold: "",
  bond: "",
  tip: "",
  verifier: "",
  verifierFee: "",
  bidsOnly: false,
  usePermit: true,
};

type Errors = Partial<Record<keyof Form, string>>;

interface Step {
  label: string;
  state: "todo" | "active" | "done" | "failed";
  hash?: string;
  note?: string;
}

export function CreateJob() {
  const { deployment, wallet } = useApp();
  const now = useChainNow();
  const blocker = useSendBlocker();
  const tx = useTx();
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [steps, setSteps] = useState<Step[]>([]);
  const [created, setCreated] = useState<bigint>();
  const account = wallet.session?.account;

  const arbs = useChainData(() => arbitrators(deployment), []);
  const arbitrator = form.arbitrator || arbs.data?.[0]?.address || "";
  const erc20 = form.tokenKind === "erc20";
  const tokenAddress =
    erc20 && isAddress(form.token.trim()) ? getAddress(form.token.trim()) : undefined;

  // The token and what funding it needs, for the plan shown before sending.
  const funding = useChainData(async () => {
    if (!erc20) return { token: NATIVE_TOKEN };
    if (!tokenAddress) return undefined;
    if ((await deployment.reader.getCode(tokenAddress)) === "0x")
      return { error: `${tokenAddress} is not a contract on this chain` };
    let token: TokenInfo;
    try {
      token = await tokenInfo(deployment.reader, tokenAddress);
    } catch (err) {
      return { error: (err as Error).message }; // read again at the next block
    }
    if (!account) return { token };
    const c = new Contract(tokenAddress, ERC20, deployment.reader);
    const [balance, allowance, support] = await Promise.all([
      c.balanceOf(account) as Promise<bigint>,
      c.allowance(account, deployment.escrow) as Promise<bigint>,
      tokenSignatureSupport(tokenAddress, deployment.reader, account),
    ]);
    return { token, balance, allowance, permit: support.permit, domain: support.domain };
  }, [erc20, tokenAddress, account]);
  const token: TokenInfo | undefined =
    funding.data && "token" in funding.data ? funding.data.token : undefined;

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
    if (tx.state.phase === "failed") tx.reset(); // an old failure no longer describes the form
  };

  /** Every field parsed, or the errors to show next to them. */
  const parse = (): { input: CreateJobInput; total: bigint; token: TokenInfo } | Errors => {
    const e: Errors = {};
    const t = erc20 ? token : NATIVE_TOKEN;
    if (erc20 && !tokenAddress)
      e.token = "Enter the token's contract address (0x followed by 40 hex digits).";
    else if (erc20 && funding.data && "error" in funding.data) e.token = `${funding.data.error}.`;
    else if (erc20 && !t) e.token = "Reading the token… try again in a moment.";
    const units = (key: keyof Form, text: string, required: boolean): bigint | undefined => {
      const v = text.trim();
      if (v === "") {
        if (required) e[key] = "Required.";
        return required ? undefined : 0n;
      }
      if (!t) return undefined;
      try {
        const value = parseUnits(v, t.decimals);
        if (value < 0n) throw new Error();
        return value;
      } catch {
        e[key] = `"${v}" is not an amount (up to ${t.decimals} decimals).`;
        return undefined;
      }
    };
    const amount = units("amount", form.amount, true);
    if (amount === 0n) e.amount = "The amount must be more than 0.";
    const bond = units("bond", form.bond, false);
    const tip = units("tip", form.tip, false);
    const address = (key: keyof Form, text: string): string | undefined => {
      const v = text.trim();
      if (v === "") return undefined;
      if (!isAddress(v)) e[key] = `"${v}" is not an address.`;
      return isAddress(v) ? getAddress(v) : undefined;
    };
    const provider = address("provider", form.provider);
    const verifier = address("verifier", form.verifier);
    if (!form.spec.trim()) e.spec = "Describe the work: its hash is what the job commits to.";
    let deadline: bigint | undefined;
    try {
      deadline = parseDeadline(form.deadline, now);
    } catch (err) {
      e.deadline = (err as Error).message;
    }
    let reviewPeriod: bigint | undefined;
    try {
      reviewPeriod = parseDuration(form.review);
    } catch (err) {
      e.review = (err as Error).message;
    }
    if (!isAddress(arbitrator)) e.arbitrator = "Choose an arbitrator.";
    const approvers: string[] = [];
    for (const line of form.approvers.split(/[\s,]+/).filter(Boolean)) {
      if (!isAddress(line)) e.approvers = `"${line}" is not an address.`;
      else approvers.push(getAddress(line));
    }
    let threshold = approvers.length;
    if (form.threshold.trim() !== "") {
      if (!/^\d+$/.test(form.threshold.trim())) e.threshold = "A whole number of approvals.";
      else threshold = Number(form.threshold.trim());
    }
    let verifierFeeBps = 0;
    if (form.verifierFee.trim() !== "") {
      const pct = Number(form.verifierFee.trim());
      if (!/^\d+(\.\d{1,2})?$/.test(form.verifierFee.trim()) || pct > 100)
        e.verifierFee = "A percentage such as 2.5.";
      else verifierFeeBps = Math.round(pct * 100);
    }
    if (Object.values(e).some(Boolean)) return e;
    const input: CreateJobInput = {
      token: erc20 ? tokenAddress! : NATIVE,
      amount: amount!,
      deadline: deadline!,
      reviewPeriod: reviewPeriod!,
      jobHash: hashContent(form.spec.trim()),
      arbitrator: getAddress(arbitrator),
      provider,
      jobType: Number(form.jobType),
      approvers,
      threshold,
      providerBond: bond ?? 0n,
      keeperTip: tip ?? 0n,
      verifier,
      verifierFeeBps,
      bidsOnly: form.bidsOnly,
    };
    return { input, total: amount! + (tip ?? 0n), token: t! };
  };

  /** How the job will be funded, as steps. */
  const plan = (total: bigint, t: TokenInfo): Step[] => {
    const create = { label: "Create the job (a transaction)", state: "todo" as const };
    if (!erc20) return [{ ...create, note: `sends ${formatAmount(total, t)}` }];
    const f = funding.data as { allowance?: bigint; permit?: boolean } | undefined;
    if (f?.allowance !== undefined && f.allowance >= total)
      return [{ ...create, note: "the escrow's allowance already covers it" }];
    if (form.usePermit && f?.permit)
      return [
        {
          label: `Sign a permit for ${formatAmount(total, t)} (a signature, no transaction)`,
          state: "todo",
        },
        { ...create, label: "Create the job with the permit (a transaction)" },
      ];
    const steps: Step[] = [];
    if (f?.allowance !== undefined && f.allowance > 0n)
      steps.push({
        label: "Reset the escrow's allowance to 0 (some tokens require it)",
        state: "todo",
      });
    steps.push({
      label: `Approve ${formatAmount(total, t)} for the escrow (a transaction)`,
      state: "todo",
    });
    steps.push(create);
    return steps;
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setCreated(undefined);
    const label = "Create the job";
    if (!account || !wallet.client) return tx.fail(label, blocker ?? "connect your wallet first.");
    const parsed = parse();
    if (!("input" in parsed)) {
      setErrors(parsed);
      const first = Object.keys(parsed)[0];
      document.getElementById(`create-${first}`)?.focus();
      return tx.fail(label, "some fields need fixing (see the messages next to them).");
    }
    const { input, total, token: t } = parsed;
    // The contract's rules, checked before the wallet is asked anything.
    try {
      await wallet.client.checkCreateJob(input, account);
    } catch (err) {
      return tx.fail(label, toEscrowError(err).message);
    }
    const f = funding.data as { balance?: bigint; domain?: object } | undefined;
    if (erc20 && f?.balance !== undefined && f.balance < total)
      return tx.fail(
        label,
        `you hold ${formatAmount(f.balance, t)} but the job needs ${formatAmount(total, t)}.`,
      );

    const todo = plan(total, t);
    setSteps(todo);
    const mark = (i: number, patch: Partial<Step>) =>
      setSteps((s) => s.map((step, j) => (j === i ? { ...step, ...patch } : step)));
    let current = 0;
    const result = await tx.run(
      label,
      async () => {
        const client = wallet.client!;
        const signer = wallet.session!.signer;
        const step = async <T,>(i: number, work: () => Promise<T>): Promise<T> => {
          current = i;
          mark(i, { state: "active" });
          const out = await trackHashes((hash) => mark(i, { hash }), work);
          mark(i, { state: "done" });
          return out;
        };
        const last = todo.length - 1;
        if (!erc20 || todo.length === 1)
          return step(0, () => client.createJob(input, { approve: false }));
        if (todo[0].label.startsWith("Sign a permit")) {
          const c = new Contract(input.token!, ERC20, signer);
          const deadline = now + 3600n;
          const signature = await step(0, async () =>
            signer.signTypedData(f!.domain!, PERMIT_TYPES, {
              owner: account,
              spender: deployment.escrow,
              value: total,
              nonce: await c.nonces(account),
              deadline,
            }),
          );
          return step(last, () =>
            client.createJobWithPermit(input, {
              deadline,
              signature: Signature.from(signature).serialized,
            }),
          );
        }
        const c = new Contract(input.token!, ERC20, signer);
        let i = 0;
        if (todo.length === 3)
          await step(i++, async () => (await c.approve(deployment.escrow, 0n)).wait());
        await step(i, async () => (await c.approve(deployment.escrow, total)).wait());
        return step(last, () => client.createJob(input, { approve: false }));
      },
      (r) => `Job #${r.jobId} created.`,
    );
    if (result) setCreated(result.jobId);
    else mark(current, { state: "failed" });
  };

  const field = (key: keyof Form, label: string, control: ReactNode, hint?: ReactNode) => (
    <div className="field">
      <label htmlFor={`create-${key}`}>{label}</label>
      {control}
      {hint ? (
        <p className="hint" id={`create-${key}-hint`}>
          {hint}
        </p>
      ) : null}
      {errors[key] ? (
        <p className="error" id={`create-${key}-error`}>
          {errors[key]}
        </p>
      ) : null}
    </div>
  );
  const props = (key: keyof Form, hint = false) => ({
    id: `create-${key}`,
    "aria-invalid": errors[key] ? true : undefined,
    "aria-describedby":
      [hint ? `create-${key}-hint` : "", errors[key] ? `create-${key}-error` : ""]
        .filter(Boolean)
        .join(" ") || undefined,
  });
  const text = (key: keyof Form, hint = false, extra: object = {}) => (
    <input
      {...props(key, hint)}
      value={form[key] as string}
      onChange={(e) => set(key, e.target.value as never)}
      autoComplete="off"
      {...extra}
    />
  );

  const deadlinePreview = (() => {
    try {
      return `= ${formatDate(parseDeadline(form.deadline, now))}`;
    } catch {
      return "a duration (24h, 7d), an ISO date or unix seconds";
    }
  })();
  const symbol = erc20 ? (token?.symbol ?? "tokens") : "ETH";
  // Before sending: the plan for what the form says so far; then the steps as they run.
  const shown = (() => {
    if (steps.length > 0) return steps;
    const t = erc20 ? token : NATIVE_TOKEN;
    if (!t) return [];
    try {
      const amount = parseUnits(form.amount.trim() || "0", t.decimals);
      const tip = parseUnits(form.tip.trim() || "0", t.decimals);
      return amount > 0n ? plan(amount + tip, t) : [];
    } catch {
      return [];
    }
  })();
  const f = funding.data as { balance?: bigint; allowance?: bigint; permit?: boolean } | undefined;

  return (
    <>
      <h1 tabIndex={-1}>Post a job</h1>
      {blocker ? <p>{blocker}</p> : null}
      <form className="create" onSubmit={(e) => void submit(e)} noValidate aria-label="Post a job">
        <fieldset>
          <legend>Payment</legend>
          <div className="radios" role="radiogroup" aria-label="Paid in">
            <label>
              <input
                type="radio"
                name="tokenKind"
                checked={!erc20}
                onChange={() => set("tokenKind", "native")}
              />{" "}
              Native coin (ETH)
            </label>
            <label>
              <input
                type="radio"
                name="tokenKind"
                checked={erc20}
                onChange={() => set("tokenKind", "erc20")}
              />{" "}
              An ERC-20 token
            </label>
          </div>
          {erc20
            ? field(
                "token",
                "Token address",
                text("token", true, { placeholder: "0x…", spellCheck: false }),
                funding.data && "error" in funding.data
                  ? funding.data.error
                  : token && f
                    ? `${token.symbol}, ${token.decimals} decimals.${f.balance !== undefined ? ` You hold ${formatAmount(f.balance, token)}; the escrow may spend ${formatAmount(f.allowance!, token)} of it.` : ""} ${f.permit ? "It accepts EIP-2612 permits." : "It has no permit: you approve it first (a transaction)."}`
                    : "The token's contract on this chain.",
              )
            : null}
          {erc20 && f?.permit ? (
            <div className="field check">
              <label>
                <input
                  type="checkbox"
                  checked={form.usePermit}
                  onChange={(e) => set("usePermit", e.target.checked)}
                />{" "}
                Fund with a permit signature instead of an approval transaction
              </label>
            </div>
          ) : null}
          {field("amount", `Amount (${symbol})`, text("amount", false, { inputMode: "decimal" }))}
          {field(
            "tip",
            `Keeper tip (${symbol}, optional)`,
            text("tip", true, { inputMode: "decimal" }),
            "Paid on top of the amount to whoever closes the job once it can be closed by anyone.",
          )}
        </fieldset>

        <fieldset>
          <legend>Work</legend>
          {field(
            "spec",
            "Job specification",
            <textarea
              {...props("spec", true)}
              rows={3}
              value={form.spec}
              onChange={(e) => set("spec", e.target.value)}
            />,
            "Only its hash goes on-chain; share the text with providers.",
          )}
          {field(
            "jobType",
            "Type",
            <select
              {...props("jobType")}
              value={form.jobType}
              onChange={(e) => set("jobType", e.target.value)}
            >
              {[JobType.Compute, JobType.Storage, JobType.Agent].map((t) => (
                <option key={t} value={t}>
                  {jobTypeName(t)}
                </option>
              ))}
            </select>,
          )}
          {field(
            "provider",
            "Provider (optional)",
            text("provider", true, { placeholder: "0x…", spellCheck: false }),
            "Leave empty to let anyone accept the job.",
          )}
          <div className="field check">
            <label>
              <input
                type="checkbox"
                checked={form.bidsOnly}
                onChange={(e) => set("bidsOnly", e.target.checked)}
              />{" "}
              Bids only (you award the job to a signed bid)
            </label>
          </div>
          {field(
            "bond",
            `Provider bond (${symbol}, optional)`,
            text("bond", true, { inputMode: "decimal" }),
            "Posted by the provider on acceptance; forfeited to you if the job is refunded.",
          )}
        </fieldset>

        <fieldset>
          <legend>Clock</legend>
          {field("deadline", "Deadline", text("deadline", true), deadlinePreview)}
          {field(
            "review",
            "Review period",
            text("review", true),
            (() => {
              try {
                return `${formatPeriod(parseDuration(form.review))} to review submitted work before anyone can release it.`;
              } catch {
                return "a duration such as 3d or 36h";
              }
            })(),
          )}
        </fieldset>

        <fieldset>
          <legend>Who decides</legend>
          {field(
            "arbitrator",
            "Arbitrator",
            <select
              {...props("arbitrator", true)}
              value={arbitrator}
              onChange={(e) => set("arbitrator", e.target.value)}
            >
              {(arbs.data ?? []).map((a) => (
                <option key={a.address} value={a.address}>
                  {shortAddress(a.address)} — rules within {formatPeriod(a.period)}
                </option>
              ))}
            </select>,
            arbs.data && arbs.data.length === 0
              ? "No arbitrator is registered on this escrow."
              : "Rules on a dispute; the period is fixed for the job when you post it.",
          )}
          {field(
            "approvers",
            "Approvers (optional, one address per line)",
            <textarea
              {...props("approvers", true)}
              rows={2}
              spellCheck={false}
              value={form.approvers}
              onChange={(e) => set("approvers", e.target.value)}
            />,
            "Their approvals release the payment, like your own release.",
          )}
          {field(
            "threshold",
            "Approvals needed",
            text("threshold", true, { inputMode: "numeric" }),
            "Default: all of them.",
          )}
          <details>
            <summary>Verifier</summary>
            {field(
              "verifier",
              "Verifier (optional)",
              text("verifier", false, { placeholder: "0x…", spellCheck: false }),
            )}
            {field(
              "verifierFee",
              "Verifier fee (%)",
              text("verifierFee", true, { inputMode: "decimal" }),
              "At most 10%.",
            )}
          </details>
        </fieldset>

        {shown.length > 0 ? (
          <section aria-labelledby="create-steps">
            <h2 id="create-steps">Steps</h2>
            <ol className="steps">
              {shown.map((s) => (
                <li key={s.label} data-state={s.state}>
                  {s.label}: {STEP_STATE[s.state]}
                  {s.note ? ` (${s.note})` : ""}
                  {s.hash ? (
                    <>
                      {" "}
                      — transaction <code className="hash">{s.hash}</code>
                    </>
                  ) : null}
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        <Summary form={form} token={erc20 ? token : NATIVE_TOKEN} />
        <TxStatus state={tx.state} />
        {created !== undefined ? (
          <p>
            <a href={`#/job/${created}`}>Open job #{created.toString()}</a>
          </p>
        ) : null}
        <button type="submit" disabled={!!blocker || tx.busy !== undefined}>
          Post the job
        </button>
      </form>
    </>
  );
}

/** What posting the job costs now, from what the form says so far. */
function Summary({ form, token }: { form: Form; token?: TokenInfo }) {
  if (!token) return null;
  const value = (text: string) => {
    try {
      return text.trim() === "" ? 0n : parseUnits(text.trim(), token.decimals);
    } catch {
      return undefined;
    }
  };
  const amount = value(form.amount);
  const tip = value(form.tip);
  if (!amount || tip === undefined) return null;
  return (
    <p className="summary">
      You pay <strong>{formatAmount(amount + tip, token)}</strong> now
      {tip > 0n
        ? ` (${formatAmount(amount, token)} for the work + ${formatAmount(tip, token)} keeper tip)`
        : ""}
      ; it stays in the escrow until the job ends.
    </p>
  );
}

const STEP_STATE: Record<Step["state"], string> = {
  todo: "to do",
  active: "in progress",
  done: "done",
  failed: "failed",
};
