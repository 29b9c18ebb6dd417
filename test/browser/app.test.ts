/**
 * The dapp (app/) in a real browser: Debian's Chromium driven by playwright-core, against a
 * `hardhat node` on 127.0.0.1 with the suite deployed, the app built once (`vite build`) and served
 * by `vite preview`. Each person (requester, provider, arbitrator, treasury) has a browser context
 * whose injected EIP-1193 wallet signs with their test key. Every step is checked twice: on the page
 * (roles, labels and text a person sees) and on the chain (getJob over JSON-RPC). Any console error
 * or page error fails the test. Screenshots of each page at 375 and 1280 px go to
 * test-output/screenshots/. Without Chromium the suite says so and is skipped.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { JsonRpcProvider, parseEther } from "ethers";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { EscrowClient, NATIVE, Status, hashContent } from "../../sdk/index.js";
import {
  ICommunityFund__factory,
  MockERC20__factory,
  MockPermitToken__factory,
} from "../../typechain-types/index.js";
import {
  CHROMIUM_ARGS,
  ROOT,
  account,
  buildApp,
  chromiumPath,
  deploySuite,
  freePort,
  installWallet,
  startHardhatNode,
  startPreview,
  type Server,
  type Suite,
} from "../helpers/browser.js";

const SHOTS = path.join(ROOT, "test-output", "screenshots");
const WIDTHS = [375, 1280] as const;
const ROLE = { requester: 0, treasury: 1, arbitrator: 3, provider: 5, other: 6 } as const;

/** Form controls with no accessible name (a label, aria-label(ledby), or a button's text). */
const UNLABELLED = `[...document.querySelectorAll("input, select, textarea, button")]
  .filter((e) => {
    const text = e.tagName === "BUTTON" ? (e.textContent ?? "").trim() : "";
    return text === "" && (e.labels?.length ?? 0) === 0 &&
      !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby");
  })
  .map((e) => e.outerHTML.slice(0, 120))`;

/** The innermost elements that stick out past the viewport's right edge. */
const TOO_WIDE = `[...document.body.querySelectorAll("*")]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
  .map((e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + ": " + (e.textContent ?? "").slice(0, 60))`;

/** The text of the first element in keyboard order. */
const FIRST_FOCUSABLE = `document.querySelector("a[href], button, input, select, textarea, [tabindex='0']")?.textContent`;

/** Retries `check` (chai assertions against the page) until it passes or `ms` pass. */
async function eventually<T>(check: () => Promise<T>, ms = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() - start > ms) throw err;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

describe("dapp in Chromium (app/ on vite preview, hardhat node)", function () {
  this.timeout(240_000);
  const executablePath = chromiumPath();
  let node: Server | undefined;
  let preview: Server | undefined;
  let browser: Browser | undefined;
  let rpc: JsonRpcProvider;
  let rpcUrl: string;
  let base: string;
  let suite: Suite;
  const contexts: BrowserContext[] = [];
  const wallets: { close(): void }[] = [];
  const problems: string[] = [];
  const timings: string[] = [];
  let skipped = false;

  const mark = (what: string, since: number) =>
    timings.push(`${what} ${((Date.now() - since) / 1000).toFixed(1)} s`);

  before(async function () {
    if (!executablePath) {
      const missing = `Chromium is not installed (looked for ${process.env.CHROMIUM_PATH || "/usr/bin/chromium"})`;
      // On CI (CI set, as CI services do) the browser tests are part of the proof: missing is a failure.
      if (process.env.CI)
        throw new Error(`${missing}: install it with \`apt-get install -y chromium\`.`);
      console.log(
        `    ${missing}: the browser tests are skipped. ` +
          "Install it with `apt-get install -y chromium` (.ci/run does).",
      );
      skipped = true;
      this.skip();
    }
    let t = Date.now();
    const nodePort = await freePort();
    let previewPort = await freePort();
    while (previewPort === nodePort) previewPort = await freePort();
    rpcUrl = `http://127.0.0.1:${nodePort}`;
    // Build while the node starts: both take a few seconds. Both settle before anything is thrown,
    // so a failed build still hands the node to the after hook.
    const [building, starting] = await Promise.allSettled([buildApp(), startHardhatNode(nodePort)]);
    if (starting.status === "fulfilled") node = starting.value;
    if (building.status === "rejected") throw building.reason;
    if (starting.status === "rejected") throw starting.reason;
    const built = building.value;
    expect(built, "vite build wrote the app").to.include("dist/index.html");
    mark("node + vite build", t);
    t = Date.now();
    rpc = new JsonRpcProvider(rpcUrl, undefined, { cacheTimeout: -1 });
    suite = await deploySuite(rpc);
    preview = await startPreview(previewPort, {
      VITE_WORKESCROW_ADDRESS: suite.escrow,
      VITE_WORKESCROW_FUND_ADDRESS: suite.fund,
      VITE_WORKESCROW_DEPLOYMENT_BLOCK: String(suite.deploymentBlock),
      VITE_RPC_URL: rpcUrl,
      VITE_CHAIN_ID: "31337",
      VITE_WORKESCROW_API_URL: "",
    });
    base = `http://127.0.0.1:${previewPort}/`;
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
    mark("deploy + preview + chromium", t);
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async function () {
    for (const w of wallets) w.close();
    await browser?.close().catch(() => undefined);
    await preview?.stop();
    await node?.stop();
    rpc?.destroy();
    if (timings.length > 0) console.log(`    timings: ${timings.join(", ")}`);
    // A named line for .ci/run (it counts `check <name>: ok|FAILED`), as scripts/test.mjs prints.
    const tests = this.test?.parent?.tests ?? [];
    const passed = tests.filter((t) => t.state === "passed").length;
    console.log(
      skipped
        ? "check browser: skipped (no Chromium)"
        : passed === tests.length
          ? "check browser: ok"
          : `check browser: FAILED (${passed} of ${tests.length} browser tests passed)`,
    );
  });

  afterEach(async function () {
    // Each person's pages close with the test (they poll the node every second).
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    for (const w of wallets.splice(0)) w.close();
    // A console error or page error that came after the test's own check still fails the run.
    const found = problems.splice(0);
    if (found.length > 0) throw new Error(`the page logged errors:\n${found.join("\n")}`);
  });

  /** Fails on any console.error or uncaught page error so far. */
  function expectNoPageErrors() {
    expect(problems, "no page logged a console error or threw").to.deep.equal([]);
  }

  /** A person: a browser context whose wallet holds account `index`, and a page in it. */
  async function person(index: number, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser!.newContext({ viewport });
    contexts.push(context);
    wallets.push(await installWallet(context, rpcUrl, index));
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console.error on ${page.url()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
    return page;
  }

  async function open(page: Page, hash: string, heading: string | RegExp) {
    await page.goto(`${base}#${hash}`);
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  }

  async function connect(page: Page) {
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByRole("group", { name: "Wallet" }).getByText("on chain 31337").waitFor();
  }

  /** Waits for the confirmation of `label` and returns the transaction hashes it shows. */
  async function confirmed(page: Page, label: string): Promise<string[]> {
    const status = page.getByRole("status").filter({ hasText: `${label}: confirmed.` });
    await status.waitFor({ timeout: 30_000 });
    const text = (await status.textContent()) ?? "";
    const hashes = text.match(/0x[0-9a-f]{64}/g) ?? [];
    expect(hashes.length, `${label} shows its transaction hash`).to.be.greaterThan(0);
    return hashes;
  }

  /** Every form control has a label; no horizontal scrolling at 375 px; screenshots at both widths. */
  async function check(page: Page, name: string) {
    const unlabelled = (await page.evaluate(UNLABELLED)) as string[];
    expect(unlabelled, `${name}: every control has a label`).to.deep.equal([]);
    const size = page.viewportSize()!;
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(100);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
      const wide = (await page.evaluate(TOO_WIDE)) as string[];
      expect(
        wide,
        `${name}: nothing sticks out at ${width} px (no sideways scrolling)`,
      ).to.deep.equal([]);
    }
    await page.setViewportSize(size);
  }

  const escrow = () => new EscrowClient(suite.escrow, rpc);
  const timer = (page: Page, name: string) => page.getByRole("timer", { name });
  const advance = async (seconds: number, mine = true) => {
    await rpc.send("evm_increaseTime", [seconds]);
    if (mine) await rpc.send("evm_mine", []);
  };

  /** The actions the job page offers now (the headings of its action forms), in order. */
  const actionsOn = (page: Page) =>
    page
      .getByRole("region", { name: "What you can do" })
      .locator("form.action > h3")
      .allTextContents();
  /** The actions the job page lists for later. */
  const laterOn = (page: Page) =>
    page
      .getByRole("region", { name: "What you can do" })
      .locator(".later li > strong")
      .allTextContents();
  /** Seconds left on a countdown ("1d 2h 3m 4s left (ends …)"). */
  const secondsLeft = async (page: Page, name: string) => {
    const text = (await timer(page, name).textContent()) ?? "";
    const m = /^(?:(\d+)d )?(?:(\d+)h )?(?:(\d+)m )?(\d+)s left/.exec(text);
    expect(m, `${name} counts down: "${text}"`).to.not.equal(null);
    const [d, h, min, sec] = m!.slice(1).map((x) => Number(x ?? 0));
    return ((d * 24 + h) * 60 + min) * 60 + sec;
  };

  it("a requester posts a job, a provider accepts and submits, the requester releases — all on the pages, checked on the chain", async function () {
    const t = Date.now();
    const requester = await person(ROLE.requester);
    await open(requester, "/create", "Post a job");
    await connect(requester);

    // Input is checked before anything is sent: a field the page can read, then the contract's rules.
    const nonce = await rpc.getTransactionCount(account(ROLE.requester).address);
    await requester.getByLabel("Amount (ETH)").fill("two");
    await requester.getByLabel("Job specification").fill("Transcode 40 videos to AV1");
    await requester.getByRole("button", { name: "Post the job" }).click();
    await requester.getByText('"two" is not an amount').waitFor();
    expect(
      await requester.getByLabel("Amount (ETH)").getAttribute("aria-invalid"),
      "the bad field is marked",
    ).to.equal("true");
    await requester.getByLabel("Amount (ETH)").fill("2");
    await requester.getByLabel("Deadline", { exact: true }).fill("5m");
    await requester.getByRole("button", { name: "Post the job" }).click();
    await requester
      .getByRole("alert")
      .filter({ hasText: /WorkEscrowInvalidDeadline: deadline .* \(10 minutes of work at least\)/ })
      .waitFor();
    expect(
      await rpc.getTransactionCount(account(ROLE.requester).address),
      "nothing was sent",
    ).to.equal(nonce);

    await requester.getByLabel("Deadline", { exact: true }).fill("1d");
    await requester.getByLabel("Provider bond (ETH, optional)").fill("0.1");
    await requester.getByLabel("Keeper tip (ETH, optional)").fill("0.01");
    await check(requester, "create");
    await requester.getByRole("button", { name: "Post the job" }).click();
    const [createHash] = await confirmed(requester, "Create the job");
    await requester.getByRole("status").getByText("Job #1 created.").waitFor();
    await requester
      .getByText(
        /Create the job \(a transaction\): done \(sends 2\.01 ETH\) — transaction 0x[0-9a-f]{64}/,
      )
      .waitFor();
    const created = await rpc.getTransactionReceipt(createHash);
    expect(created?.status, "the hash shown is the mined creation").to.equal(1);
    let job = await escrow().getJob(1n);
    expect(job.status, "on chain: Open").to.equal(Status.Open);
    expect(job.amount).to.equal(parseEther("2"));
    expect(job.providerBond).to.equal(parseEther("0.1"));
    expect(job.keeperTip).to.equal(parseEther("0.01"));
    expect(job.requester).to.equal(account(ROLE.requester).address);
    expect(job.jobHash).to.equal(hashContent("Transcode 40 videos to AV1"));

    // The provider finds it on the board (read from logs), filters, and opens it.
    const provider = await person(ROLE.provider);
    await open(provider, "/", "Job board");
    // The first thing a keyboard reaches is a skip link; it shows when focused and leads to the content.
    expect(await provider.evaluate(FIRST_FOCUSABLE)).to.equal("Skip to content");
    const skip = provider.getByRole("link", { name: "Skip to content" });
    await skip.focus();
    expect((await skip.boundingBox())!.x, "visible when focused").to.be.at.least(0);
    await provider.keyboard.press("Enter");
    expect(await provider.evaluate("document.activeElement?.id")).to.equal("main");
    await provider
      .getByRole("note")
      .getByText("Reading from chain logs (no API configured)")
      .waitFor();
    await provider.getByRole("heading", { name: "Open jobs: 1" }).waitFor();
    const card = provider.getByRole("article", { name: "Job #1" });
    await card.getByText("2 ETH", { exact: true }).waitFor();
    expect(await card.textContent()).to.match(/open to anyone/);
    await provider.getByLabel("Type").selectOption({ label: "Storage" });
    await provider.getByRole("heading", { name: "Open jobs: 0" }).waitFor();
    await provider.getByText("No open jobs match these filters.").waitFor();
    await provider.getByLabel("Type").selectOption({ label: "Compute" });
    await provider.getByLabel("Token").selectOption({ label: "ETH (native coin)" });
    await provider.getByRole("heading", { name: "Open jobs: 1" }).waitFor();
    await connect(provider);
    await check(provider, "board");
    // By keyboard: the job's link opens with Enter.
    await provider.getByRole("link", { name: "Job #1" }).focus();
    await provider.keyboard.press("Enter");
    await provider.getByRole("heading", { level: 1, name: "Job #1" }).waitFor();
    expect(
      await provider.evaluate("document.activeElement?.tagName"),
      "focus moves to the new page's heading",
    ).to.equal("H1");
    await provider.getByText("Status: Open").waitFor();
    await provider.getByText("You have no role in this job.").waitFor();
    expect(await timer(provider, "Deadline").textContent()).to.match(
      /^(23h 5\dm|1d 0h 0m) \d+s left/,
    );
    await provider.getByText("You post 0.1 ETH with it.").waitFor();
    await provider.getByRole("button", { name: "Accept the job" }).click();
    await confirmed(provider, "Accept the job");
    job = await escrow().getJob(1n);
    expect(job.status, "on chain: Accepted").to.equal(Status.Accepted);
    expect(job.provider).to.equal(account(ROLE.provider).address);
    expect(job.bondPosted, "the bond was posted").to.equal(true);
    await provider.getByText("Your role: provider.").waitFor();

    await provider
      .getByLabel("Result (a description, or its 0x… hash)")
      .fill("40 files, AV1, ipfs://bafy");
    await provider.getByRole("button", { name: "Submit the work" }).click();
    await confirmed(provider, "Submit the work");
    job = await escrow().getJob(1n);
    expect(job.status, "on chain: Submitted").to.equal(Status.Submitted);
    expect(job.resultHash).to.equal(hashContent("40 files, AV1, ipfs://bafy"));

    // The review window counts down in the node's time: a day later on the node, a day less.
    await eventually(async () =>
      expect(await timer(provider, "Review window").textContent()).to.match(
        /^2d 23h 5\dm \d+s left/,
      ),
    );
    await advance(86_400);
    await eventually(async () =>
      expect(await timer(provider, "Review window").textContent()).to.match(
        /^1d 23h 5\dm \d+s left/,
      ),
    );
    await provider
      .getByText(
        /Release the payment \(pay the provider once the review window has passed\): opens in 1d 23h/,
      )
      .waitFor();

    // The requester releases from the job page.
    await open(requester, "/job/1", "Job #1");
    await requester.getByText("Your role: requester.").waitFor();
    await requester.getByText("You post 0.04 ETH with it.").waitFor(); // the dispute deposit, 2% of 2 ETH
    await requester.getByRole("button", { name: "Release the payment" }).click();
    await confirmed(requester, "Release the payment");
    job = await escrow().getJob(1n);
    expect(job.status, "on chain: Released").to.equal(Status.Released);
    const outcome = requester.getByRole("region", { name: "Outcome" });
    await outcome.getByText("Released: the provider was paid.").waitFor();
    expect(await outcome.textContent()).to.include("To the provider1.97 ETH");
    const timeline = requester.getByRole("region", { name: "Timeline" });
    await timeline
      .getByText(
        /Released by the requester 0xf39F…2266 \(you\): 1\.97 ETH to the provider 0x9965…A4dc/,
      )
      .waitFor();
    await timeline
      .getByText("Bond settled: 0.1 ETH to the provider, 0 ETH to the requester.")
      .waitFor();
    await requester.getByText("Nothing you can do on this job now.").waitFor();
    await check(requester, "job-released");
    expectNoPageErrors();
    mark("happy path", t);
  });

  it("posts ERC-20 jobs: an approval transaction then the creation, or a permit signature and one transaction; the board filters by token", async function () {
    const t = Date.now();
    const owner = account(ROLE.requester, rpc);
    const usd = await new MockERC20__factory(owner).deploy("Test Dollar", "TUSD", 6);
    const pmt = await new MockPermitToken__factory(owner).deploy("Permit Coin", "PMT");
    await (await usd.mint(owner.address, 1_000_000_000n)).wait(); // 1,000 TUSD
    await (await pmt.mint(owner.address, parseEther("50"))).wait();
    const [usdAddress, pmtAddress] = [await usd.getAddress(), await pmt.getAddress()];

    const requester = await person(ROLE.requester);
    await open(requester, "/create", "Post a job");
    await connect(requester);
    await requester.getByRole("radio", { name: "An ERC-20 token" }).check();
    await requester.getByLabel("Token address").fill(usdAddress);
    await requester
      .getByText(
        "TUSD, 6 decimals. You hold 1000 TUSD; the escrow may spend 0 TUSD of it. It has no permit: you approve it first (a transaction).",
      )
      .waitFor();
    await requester.getByLabel("Amount (TUSD)").fill("100");
    await requester.getByLabel("Job specification").fill("Pin 2 TB for a year");
    await requester.getByLabel("Type").selectOption({ label: "Storage" });
    await requester.getByText("You pay 100 TUSD now").waitFor();
    // An approver: a malformed address is refused on the page, before anything is sent.
    const approvers = requester.getByLabel("Approvers (optional, one address per line)");
    await approvers.fill("0x1234");
    await requester.getByRole("button", { name: "Post the job" }).click();
    await requester.getByText('"0x1234" is not an address.').waitFor();
    expect(await approvers.getAttribute("aria-invalid"), "the bad field is marked").to.equal(
      "true",
    );
    expect(
      await usd.allowance(owner.address, suite.escrow),
      "nothing was sent (no approval)",
    ).to.equal(0n);
    await approvers.fill(account(ROLE.other).address);
    // The plan is shown before anything is sent.
    const steps = requester.getByRole("region", { name: "Steps" });
    await steps.getByText("Approve 100 TUSD for the escrow (a transaction): to do").waitFor();
    await steps.getByText("Create the job (a transaction): to do").waitFor();
    await requester.getByRole("button", { name: "Post the job" }).click();
    await confirmed(requester, "Create the job");
    await steps
      .getByText(
        /^Approve 100 TUSD for the escrow \(a transaction\): done — transaction 0x[0-9a-f]{64}$/,
      )
      .waitFor();
    await steps
      .getByText(/^Create the job \(a transaction\): done — transaction 0x[0-9a-f]{64}$/)
      .waitFor();
    const usdJob = BigInt(
      /Job #(\d+) created/.exec((await requester.getByRole("status").textContent())!)![1],
    );
    let job = await escrow().getJob(usdJob);
    expect(job.token, "on chain: paid in TUSD").to.equal(usdAddress);
    expect(job.amount).to.equal(100_000_000n);
    expect(job.threshold, "on chain: one approval releases it").to.equal(1);
    expect(
      await escrow().approversOf(usdJob, { fromBlock: suite.deploymentBlock }),
      "on chain: the approver from the form",
    ).to.deep.equal([account(ROLE.other).address]);
    expect(await usd.allowance(owner.address, suite.escrow), "the approval was used up").to.equal(
      0n,
    );
    await check(requester, "create-erc20");

    // A token with EIP-2612: one signature, one transaction (a fresh form).
    await requester.reload();
    await requester.getByRole("heading", { level: 1, name: "Post a job" }).waitFor();
    await requester.getByRole("group", { name: "Wallet" }).getByText("on chain 31337").waitFor();
    await requester.getByRole("radio", { name: "An ERC-20 token" }).check();
    await requester.getByLabel("Token address").fill(pmtAddress);
    await requester.getByText(/It accepts EIP-2612 permits\./).waitFor();
    expect(
      await requester
        .getByLabel("Fund with a permit signature instead of an approval transaction")
        .isChecked(),
    ).to.equal(true);
    await requester.getByLabel("Amount (PMT)").fill("5");
    await requester.getByLabel("Job specification").fill("Summarise 300 papers");
    await steps.getByText("Sign a permit for 5 PMT (a signature, no transaction): to do").waitFor();
    const nonce = await rpc.getTransactionCount(owner.address);
    await requester.getByRole("button", { name: "Post the job" }).click();
    await confirmed(requester, "Create the job");
    await steps
      .getByText(/^Sign a permit for 5 PMT \(a signature, no transaction\): done$/)
      .waitFor();
    await steps
      .getByText(
        /^Create the job with the permit \(a transaction\): done — transaction 0x[0-9a-f]{64}$/,
      )
      .waitFor();
    const pmtJob = BigInt(
      /Job #(\d+) created/.exec((await requester.getByRole("status").textContent())!)![1],
    );
    job = await escrow().getJob(pmtJob);
    expect(job.token, "on chain: paid in PMT").to.equal(pmtAddress);
    expect(job.amount).to.equal(parseEther("5"));
    expect(await rpc.getTransactionCount(owner.address), "one transaction in all").to.equal(
      nonce + 1,
    );
    expect(await pmt.nonces(owner.address), "the permit was used").to.equal(1n);

    // The board's token filter knows both tokens.
    await open(requester, "/", "Job board");
    await requester
      .getByLabel("Token")
      .selectOption({ label: `TUSD (${usdAddress.toLowerCase()})` });
    await requester.getByRole("heading", { name: "Open jobs: 1" }).waitFor();
    await requester
      .getByRole("article", { name: `Job #${usdJob}` })
      .getByText("100 TUSD")
      .waitFor();
    await requester.getByLabel("Type").selectOption({ label: "Compute" });
    await requester.getByRole("heading", { name: "Open jobs: 0" }).waitFor();
    expectNoPageErrors();
    mark("erc-20", t);
  });

  it("the arbitrator finds a dispute on its account page and rules on it from the job page; a ruling sent after the arbitration period shows the contract's sentence", async function () {
    const t = Date.now();
    // Two delivered jobs, set up with the SDK as other dapps would.
    const asRequester = new EscrowClient(suite.escrow, account(ROLE.requester, rpc));
    const asProvider = new EscrowClient(suite.escrow, account(ROLE.provider, rpc));
    const now = BigInt((await rpc.getBlock("latest"))!.timestamp);
    const ids: bigint[] = [];
    for (const spec of ["label 10k images", "label 20k images"]) {
      const { jobId } = await asRequester.createJob({
        amount: parseEther("1"),
        deadline: now + 86_400n,
        jobHash: hashContent(spec),
        arbitrator: account(ROLE.arbitrator).address,
        provider: account(ROLE.provider).address,
      });
      await asProvider.accept(jobId);
      await asProvider.submit(jobId, hashContent(`${spec}: done`));
      ids.push(jobId);
    }
    const [ruled, late] = ids;
    await asRequester.dispute(late, "half the labels are wrong");

    // The provider disputes the first job from its page (pressing Enter in the reason field).
    const provider = await person(ROLE.provider);
    await open(provider, `/job/${ruled}`, `Job #${ruled}`);
    await connect(provider);
    await provider.getByText("You post 0.02 ETH with it.").waitFor();
    await provider.getByLabel("Reason for the dispute").fill("The requester stopped answering");
    await provider.getByLabel("Reason for the dispute").press("Enter");
    await confirmed(provider, "Raise a dispute");
    let job = await escrow().getJob(ruled);
    expect(job.status, "on chain: Disputed").to.equal(Status.Disputed);
    expect(job.disputeDeposit).to.equal(parseEther("0.02"));
    expect(await timer(provider, "Arbitration period").textContent()).to.match(
      /^(7d 0h 0m 0s|6d 23h 5\dm \d+s) left/,
    );

    // The arbitrator finds the dispute among its jobs on the account page and opens it from there.
    const arbitrator = await person(ROLE.arbitrator);
    await open(arbitrator, "/account", "My account");
    await connect(arbitrator);
    const mine = arbitrator
      .getByRole("region", { name: "Your jobs" })
      .getByRole("article", { name: `Job #${ruled}` });
    await mine.getByText(/1 ETH · Disputed · you are arbitrator/).waitFor();
    await mine.getByRole("link", { name: `Job #${ruled}` }).click();
    await arbitrator.getByRole("heading", { level: 1, name: `Job #${ruled}` }).waitFor();
    await arbitrator.getByText("Your role: arbitrator.").waitFor();
    await arbitrator
      .getByText(
        /Dispute raised by the provider 0x9965…A4dc: “The requester stopped answering” \(deposit 0\.02 ETH\)/,
      )
      .waitFor();
    await check(arbitrator, "job-disputed");
    await arbitrator.getByLabel("Provider's share (%)").fill("150");
    await arbitrator.getByRole("button", { name: "Rule on the dispute" }).click();
    await arbitrator
      .getByRole("alert")
      .filter({
        hasText:
          "Rule on the dispute failed: the provider's share must be a percentage from 0 to 100.",
      })
      .waitFor();
    await arbitrator.getByLabel("Provider's share (%)").fill("70");
    await arbitrator.getByRole("button", { name: "Rule on the dispute" }).click();
    await confirmed(arbitrator, "Rule on the dispute");
    job = await escrow().getJob(ruled);
    expect(job.status, "on chain: Resolved").to.equal(Status.Resolved);
    const outcome = arbitrator.getByRole("region", { name: "Outcome" });
    await outcome.getByText("Ruled by the arbitrator: 70% to the provider.").waitFor();
    const split = (await outcome.textContent()) ?? "";
    // 70% of 1 ETH less the 2% arbitration fee (0.98 ETH split): provider 0.686 less 1.5% fees.
    expect(split).to.include("Provider's share70%");
    expect(split).to.include("To the requester0.294 ETH");
    expect(split).to.include("Arbitration fee0.02 ETH");
    await arbitrator.getByText(/Dispute deposit of 0\.02 ETH to the provider/).waitFor();
    await check(arbitrator, "job-resolved");

    // The second dispute: the node's clock passes the arbitration period but no block is mined yet,
    // so the page still offers the ruling; the node refuses it and the page says why.
    await open(arbitrator, `/job/${late}`, `Job #${late}`);
    await arbitrator.getByRole("button", { name: "Rule on the dispute" }).waitFor();
    const before = await rpc.getTransactionCount(account(ROLE.arbitrator).address);
    await advance(7 * 86_400 + 60, false);
    await arbitrator.getByLabel("Provider's share (%)").fill("60");
    await arbitrator.getByRole("button", { name: "Rule on the dispute" }).click();
    const alert = arbitrator.getByRole("alert").filter({ hasText: "Rule on the dispute failed:" });
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).to.match(
      new RegExp(
        `WorkEscrowArbitrationPeriodOver: job ${late}'s arbitration period ended at .*: settle it as stale`,
      ),
    );
    expect((await escrow().getJob(late)).status, "on chain: still Disputed").to.equal(
      Status.Disputed,
    );
    expect(
      await rpc.getTransactionCount(account(ROLE.arbitrator).address),
      "nothing was mined",
    ).to.equal(before);
    // Once a block shows the new time, the page offers what is possible now.
    await rpc.send("evm_mine", []);
    await arbitrator.getByRole("button", { name: "Settle the dispute 50/50" }).waitFor();
    expect(await arbitrator.getByRole("button", { name: "Rule on the dispute" }).count()).to.equal(
      0,
    );
    expect(await timer(arbitrator, "Arbitration period").textContent()).to.match(
      /^ended \d+m \d+s ago/,
    );
    await check(arbitrator, "job-stale");
    expectNoPageErrors();
    mark("disputes", t);
  });

  it("the account page lists the account's jobs, withdraws its credit, and claims from a community-fund round", async function () {
    const t = Date.now();
    // The treasury's platform fees wait as credit.
    const treasury = await person(ROLE.treasury);
    await open(treasury, "/account", "My account");
    await connect(treasury);
    // 1% of 2 ETH, and 1% of the provider's gross share of the ruling (70% of 0.98 ETH).
    const credit = await escrow().withdrawable(NATIVE, account(ROLE.treasury).address);
    expect(credit, "the treasury has a credit").to.equal(parseEther("0.02686"));
    // With mining paused, the page shows the pending transaction and its hash until a block includes it.
    await rpc.send("evm_setAutomine", [false]);
    try {
      await treasury.getByRole("button", { name: "Withdraw 0.02686 ETH" }).click();
      const pending = treasury
        .getByRole("status")
        .filter({ hasText: "Withdraw 0.02686 ETH: transaction sent, waiting for it to be mined…" });
      await pending.waitFor();
      expect(await pending.getAttribute("aria-busy")).to.equal("true");
      const [hash] = ((await pending.textContent()) ?? "").match(/0x[0-9a-f]{64}/) ?? [];
      expect(hash, "the pending transaction's hash is shown").to.not.equal(undefined);
      expect((await rpc.getTransaction(hash!))?.blockNumber, "not mined yet").to.equal(null);
      expect(
        await treasury.getByRole("button", { name: "Withdraw 0.02686 ETH" }).isDisabled(),
        "no second action while one is pending",
      ).to.equal(true);
      await rpc.send("evm_mine", []);
      expect(await confirmed(treasury, "Withdraw 0.02686 ETH")).to.deep.equal([hash]);
    } finally {
      await rpc.send("evm_setAutomine", [true]);
    }
    expect(await escrow().withdrawable(NATIVE, account(ROLE.treasury).address)).to.equal(0n);
    await treasury.getByText("Nothing to withdraw.").waitFor();

    // A round of the community fund: collected, posted by the admin with a tree of two entries.
    const fund = ICommunityFund__factory.connect(suite.fund, account(ROLE.requester, rpc));
    await (await fund.collect(suite.escrow, NATIVE)).wait();
    const pool = (await fund.tokenState(NATIVE)).pool;
    const entries: [string, string][] = [
      [account(ROLE.provider).address, (pool - pool / 3n).toString()],
      [account(ROLE.other).address, (pool / 3n).toString()],
    ];
    const tree = StandardMerkleTree.of(entries, ["address", "uint256"]);
    const file = {
      format: "workescrow-round-v1",
      method: "manual",
      chainId: "31337",
      fund: suite.fund,
      token: NATIVE,
      requested: pool.toString(),
      total: pool.toString(),
      remainder: "0",
      root: tree.root,
      tree: tree.dump(),
    };
    await (await fund.postRound(NATIVE, tree.root, pool, 0, "ipfs://round-1.json")).wait();
    await advance(3601); // the challenge delay

    const provider = await person(ROLE.provider);
    await open(provider, "/account", "My account");
    await connect(provider);
    const jobs = provider.getByRole("region", { name: "Your jobs" });
    await jobs
      .getByRole("article", { name: "Job #1" })
      .getByText(/Released · you are provider/)
      .waitFor();
    const round = provider.getByRole("article", { name: "Round #1" });
    await round.getByText("not claimed").waitFor();
    await round.getByText(/Live: claims open until/).waitFor();
    // A file for another round is refused before anything is sent.
    const wrong = StandardMerkleTree.of(
      [[account(ROLE.provider).address, "5"]],
      ["address", "uint256"],
    );
    await round
      .getByLabel(/Your entry or the round's tree file/)
      .fill(JSON.stringify(wrong.dump()));
    await round.getByRole("button", { name: "Claim from round #1" }).click();
    await provider
      .getByRole("alert")
      .filter({ hasText: /leads to root .*, not this round's root/ })
      .waitFor();
    await round.getByLabel(/Your entry or the round's tree file/).fill(JSON.stringify(file));
    await check(provider, "account");
    await round.getByRole("button", { name: "Claim from round #1" }).click();
    await confirmed(provider, "Claim from round #1");
    expect(await fund.isClaimed(1n, account(ROLE.provider).address), "on chain: claimed").to.equal(
      true,
    );
    await round.getByText("claimed", { exact: true }).waitFor();
    expectNoPageErrors();
    mark("account", t);
  });

  it("the parties settle a dispute by agreement from their pages, with evidence on the timeline; each page offers exactly the SDK's actions; the deadline and arbitration countdowns follow the node's clock", async function () {
    const t = Date.now();
    const asRequester = new EscrowClient(suite.escrow, account(ROLE.requester, rpc));
    const asProvider = new EscrowClient(suite.escrow, account(ROLE.provider, rpc));
    const now = BigInt((await rpc.getBlock("latest"))!.timestamp);
    const { jobId: id } = await asRequester.createJob({
      amount: parseEther("1"),
      deadline: now + 2n * 86_400n,
      jobHash: hashContent("index 1M pages"),
      arbitrator: account(ROLE.arbitrator).address,
      provider: account(ROLE.provider).address,
    });
    await asProvider.accept(id);

    // Accepted: the provider may submit, refund part or offer a split; a refund opens after the deadline.
    const provider = await person(ROLE.provider);
    await open(provider, `/job/${id}`, `Job #${id}`);
    await connect(provider);
    await provider.getByText("Your role: provider.").waitFor();
    await provider.getByText("Status: Accepted").waitFor();
    expect(await actionsOn(provider), "the provider's actions in Accepted").to.deep.equal([
      "Submit the work",
      "Refund part of the payment",
      "Offer a settlement",
    ]);
    expect(await laterOn(provider), "after the deadline").to.deep.equal([
      "Refund the requester",
      "Finalize",
    ]);
    // The deadline's countdown ticks between blocks (no block is mined meanwhile)…
    const blockBefore = await rpc.getBlockNumber();
    const tickFrom = await secondsLeft(provider, "Deadline");
    await provider.waitForTimeout(3000);
    expect(await rpc.getBlockNumber(), "no block in between").to.equal(blockBefore);
    expect(
      await secondsLeft(provider, "Deadline"),
      "3 seconds later, 2 to 4 seconds less",
    ).to.be.within(tickFrom - 4, tickFrom - 2);
    // … and follows the node's clock: 5 hours later on the node, 5 hours less.
    const deadlineLeft = await secondsLeft(provider, "Deadline");
    expect(deadlineLeft).to.be.within(2 * 86_400 - 120, 2 * 86_400);
    await advance(5 * 3600);
    await eventually(async () =>
      expect(await secondsLeft(provider, "Deadline")).to.be.within(
        deadlineLeft - 5 * 3600 - 60,
        deadlineLeft - 5 * 3600 + 1,
      ),
    );

    // Delivered, then disputed by the requester (with the SDK, as another dapp would).
    await asProvider.submit(id, hashContent("index built"));
    await asRequester.dispute(id, "a third of the pages are missing");
    await provider.getByText("Status: Disputed").waitFor();
    expect(await actionsOn(provider), "the provider's actions in Disputed").to.deep.equal([
      "Publish evidence",
      "Offer a settlement",
    ]);
    expect(await laterOn(provider), "after the arbitration period").to.deep.equal([
      "Settle the dispute 50/50",
      "Finalize",
    ]);
    const arbitrationLeft = await secondsLeft(provider, "Arbitration period");
    expect(arbitrationLeft).to.be.within(7 * 86_400 - 120, 7 * 86_400);
    await advance(86_400);
    await eventually(async () =>
      expect(await secondsLeft(provider, "Arbitration period")).to.be.within(
        arbitrationLeft - 86_400 - 60,
        arbitrationLeft - 86_400 + 1,
      ),
    );

    // The provider publishes evidence and offers 60%.
    await provider.getByLabel("Evidence URI").fill("ipfs://bafy-index-log");
    await provider.getByRole("button", { name: "Publish evidence" }).click();
    await confirmed(provider, "Publish evidence");
    const evidence = (await escrow().events({ fromBlock: suite.deploymentBlock }, id)).filter(
      (e) => e.name === "EvidenceSubmitted",
    );
    expect(
      evidence.map((e) => (e.args as Record<string, unknown>).uri),
      "on chain: the evidence event",
    ).to.deep.equal(["ipfs://bafy-index-log"]);
    const timeline = provider.getByRole("region", { name: "Timeline" });
    await timeline
      .getByText("Evidence from the provider 0x9965…A4dc (you): ipfs://bafy-index-log")
      .waitFor();
    // By keyboard: Tab from the share leads to the form's button, and Enter presses it.
    await provider.getByLabel("Provider's share (%)").fill("60");
    await provider.getByLabel("Provider's share (%)").press("Tab");
    expect(
      await provider.evaluate("document.activeElement?.textContent"),
      "Tab reaches the offer's button",
    ).to.equal("Offer a settlement");
    await provider.keyboard.press("Enter");
    await confirmed(provider, "Offer a settlement");
    let job = await escrow().getJob(id);
    expect(job.proposer, "on chain: the provider's offer").to.equal(account(ROLE.provider).address);
    expect(job.proposalBps).to.equal(6000);
    await timeline
      .getByText("The provider 0x9965…A4dc (you) offered 60% to the provider.")
      .waitFor();
    expect(await actionsOn(provider), "no accepting one's own offer").to.deep.equal([
      "Publish evidence",
      "Offer a settlement",
    ]);

    // The requester sees the offer and accepts it.
    const requester = await person(ROLE.requester);
    await open(requester, `/job/${id}`, `Job #${id}`);
    await connect(requester);
    await requester.getByText("Your role: requester.").waitFor();
    await requester.getByText("The offer: 60% of the remaining amount to the provider.").waitFor();
    expect(await actionsOn(requester), "the requester's actions with an offer").to.deep.equal([
      "Publish evidence",
      "Offer a settlement",
      "Accept the settlement offer",
    ]);
    await requester.getByRole("button", { name: "Accept the settlement offer" }).click();
    await confirmed(requester, "Accept the settlement offer");
    job = await escrow().getJob(id);
    expect(job.status, "on chain: Resolved").to.equal(Status.Resolved);
    const outcome = requester.getByRole("region", { name: "Outcome" });
    await outcome.getByText("Settled by agreement: 60% to the provider.").waitFor();
    expect(await outcome.textContent()).to.include("Provider's share60%");
    // An agreement returns the deposit to the disputer, the requester.
    await requester
      .getByRole("region", { name: "Timeline" })
      .getByText(/Dispute deposit of 0\.02 ETH to the requester 0xf39F…2266 \(you\)/)
      .waitFor();
    await requester.getByText("Nothing you can do on this job now.").waitFor();
    expect(await actionsOn(requester)).to.deep.equal([]);
    await check(requester, "job-settled");
    expectNoPageErrors();
    mark("settlement", t);
  });

  it("the board reads the indexer API when one is configured, and says so", async function () {
    const page = await person(ROLE.other);
    const requests: string[] = [];
    // The deployment file names an API; the API answers with one job in the indexer's shape
    // (GET /jobs → { items, nextCursor }; status by name, deadline a number: indexer/openapi.yaml).
    await page.route("**/workescrow.json", async (route) => {
      const res = await route.fetch();
      const config = { ...(await res.json()), apiUrl: "http://127.0.0.1:9/api" };
      await route.fulfill({ response: res, json: config });
    });
    await page.route("http://127.0.0.1:9/api/**", async (route) => {
      requests.push(route.request().url());
      await route.fulfill({
        status: 200,
        headers: { "access-control-allow-origin": "*" },
        json: {
          items: [
            {
              id: "42",
              requester: account(ROLE.requester).address,
              provider: NATIVE,
              token: NATIVE,
              amount: "3000000000000000000",
              deadline: Math.floor(Date.now() / 1000) + 30 * 86_400,
              jobType: 2,
              status: "Open",
            },
          ],
          nextCursor: null,
        },
      });
    });
    await open(page, "/", "Job board");
    await page
      .getByRole("note")
      .getByText("Reading from the indexer API at http://127.0.0.1:9/api.")
      .waitFor();
    const card = page.getByRole("article", { name: "Job #42" });
    await card.getByText("3 ETH", { exact: true }).waitFor();
    expect(await card.textContent()).to.include("Agent");
    await page.getByLabel("Token").selectOption({ label: "ETH (native coin)" });
    await eventually(async () =>
      expect(requests.at(-1)).to.match(/\/jobs\?status=open&token=0x0{40}&limit=50$/),
    );
    expectNoPageErrors();
  });
});
