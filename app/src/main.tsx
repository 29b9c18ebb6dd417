/**
 * The WorkEscrow dapp: a job board, a job page (clock, actions, timeline), a form to post a job, and
 * the connected account's jobs, credits and community-fund claims. Built on the package's public
 * entry points only ("work-escrow", as any dapp imports it) and an injected EIP-1193 wallet.
 * Routes live in the URL's hash (#/job/3), so the build is plain static files.
 */
import { StrictMode, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { createRoot } from "react-dom/client";
import { ConfigError, loadDeployment, type Deployment } from "./config";
import { Address } from "./components";
import { formatDate } from "./format";
import { Account } from "./pages/Account";
import { Board } from "./pages/Board";
import { CreateJob } from "./pages/Create";
import { JobPage } from "./pages/Job";
import { AppProvider, useApp, useChainNow } from "./state";
import "./styles.css";

type Route =
  | { page: "board" }
  | { page: "job"; id: bigint }
  | { page: "create" }
  | { page: "account" };

function parseRoute(hash: string): Route | undefined {
  const path = hash.replace(/^#/, "") || "/";
  if (path === "/") return { page: "board" };
  if (path === "/create") return { page: "create" };
  if (path === "/account") return { page: "account" };
  const job = /^\/job\/(\d+)$/.exec(path);
  return job ? { page: "job", id: BigInt(job[1]) } : undefined;
}

const subscribeHash = (f: () => void) => {
  window.addEventListener("hashchange", f);
  return () => window.removeEventListener("hashchange", f);
};

function useRoute() {
  return useSyncExternalStore(subscribeHash, () => window.location.hash);
}

function Shell() {
  const hash = useRoute();
  const route = parseRoute(hash);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // A new page: move focus to its heading, as a full page load would (screen readers, keyboards).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>("h1")?.focus();
    window.scrollTo(0, 0);
  }, [hash]);
  const current = route?.page;
  const link = (href: string, page: string, text: string) => (
    <a href={href} aria-current={current === page ? "page" : undefined}>
      {text}
    </a>
  );
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <p className="brand">
          <a href="#/">WorkEscrow</a>
        </p>
        <nav aria-label="Main">
          <ul>
            <li>{link("#/", "board", "Jobs")}</li>
            <li>{link("#/create", "create", "Post a job")}</li>
            <li>{link("#/account", "account", "My account")}</li>
          </ul>
        </nav>
        <WalletBar />
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {route === undefined ? (
          <>
            <h1 tabIndex={-1}>Page not found</h1>
            <p>
              <a href="#/">Back to the job board</a>
            </p>
          </>
        ) : route.page === "board" ? (
          <Board />
        ) : route.page === "job" ? (
          <JobPage key={route.id.toString()} id={route.id} />
        ) : route.page === "create" ? (
          <CreateJob />
        ) : (
          <Account />
        )}
      </main>
      <Footer />
    </>
  );
}

function WalletBar() {
  const { wallet, deployment } = useApp();
  return (
    <div className="wallet" aria-label="Wallet" role="group">
      {!wallet.available ? (
        <p>No wallet found: reading only.</p>
      ) : wallet.session ? (
        <>
          <p>
            <Address address={wallet.session.account} /> on chain {wallet.session.chainId}
          </p>
          {wallet.wrongChain ? (
            <p role="alert">
              The escrow is on chain {deployment.chainId}.{" "}
              <button type="button" onClick={() => void wallet.switchChain()}>
                Switch network
              </button>
            </p>
          ) : null}
        </>
      ) : (
        <button type="button" onClick={() => void wallet.connect()} disabled={wallet.connecting}>
          {wallet.connecting ? "Connecting…" : "Connect wallet"}
        </button>
      )}
      {wallet.error ? <p role="alert">{wallet.error}</p> : null}
    </div>
  );
}

function Footer() {
  const { deployment } = useApp();
  const now = useChainNow();
  return (
    <footer>
      <p>
        Escrow <Address address={deployment.escrow} /> on chain {deployment.chainId} (
        {deployment.config.source}). Chain time {formatDate(now)}.
      </p>
    </footer>
  );
}

function App() {
  const [state, setState] = useState<{ deployment?: Deployment; error?: string }>({});
  useEffect(() => {
    loadDeployment().then(
      (deployment) => setState({ deployment }),
      (err) =>
        setState({
          error:
            err instanceof ConfigError ? err.message : `could not start: ${(err as Error).message}`,
        }),
    );
  }, []);
  if (state.error)
    return (
      <main id="main">
        <h1>WorkEscrow</h1>
        <p role="alert">The app cannot reach its escrow: {state.error}</p>
      </main>
    );
  if (!state.deployment)
    return (
      <main id="main">
        <h1>WorkEscrow</h1>
        <p role="status">Connecting to the chain…</p>
      </main>
    );
  return (
    <AppProvider deployment={state.deployment}>
      <Shell />
    </AppProvider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
