// Headless Chromium driven over the DevTools protocol, for tests that look at a page as a person
// does. The browser is Debian's `chromium` package (or BERTH_CHROMIUM), started by the test with
// a throwaway profile and every background fetch turned off, so any request seen came from the page.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectWebSocket, type TextSocket } from "./websocket.js";

/** The Chromium binary to use, or undefined with the reason it is missing. */
export function findChromium(env: Record<string, string | undefined> = process.env): { path?: string; why?: string } {
  if (env.BERTH_CHROMIUM) return { path: env.BERTH_CHROMIUM };
  for (const name of ["chromium", "chromium-browser"]) {
    const found = spawnSync("/bin/sh", ["-c", `command -v ${name}`], { encoding: "utf8", env: { PATH: env.PATH ?? "" } });
    if (found.status === 0 && found.stdout.trim()) return { path: found.stdout.trim() };
  }
  return { why: "no chromium on PATH: install Debian's package (apt-get install -y chromium; .ci/run does) or set BERTH_CHROMIUM=/path/to/chromium" };
}

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-extensions",
  "--disable-default-apps",
  "--remote-debugging-port=0",
];

type Listener = (params: Record<string, unknown>, sessionId?: string) => void;

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void; method: string }>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private closedWhy?: string;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
    private socket?: TextSocket,
  ) {}

  static async launch(path: string, timeoutMs = 30_000): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), "berth-chromium-"));
    const child = spawn(path, [...FLAGS, `--user-data-dir=${profile}`, "about:blank"], { stdio: ["ignore", "ignore", "pipe"], detached: true });
    const browser = new Browser(child, profile);
    const url = await new Promise<string>((resolve, reject) => {
      let seen = "";
      const timer = setTimeout(() => reject(new Error(`chromium did not open its DevTools port within ${timeoutMs} ms:\n${seen.slice(-2000)}`)), timeoutMs);
      child.stderr!.on("data", (chunk: Buffer) => {
        seen += chunk.toString("utf8");
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`chromium exited (${code}) before opening its DevTools port:\n${seen.slice(-2000)}`));
      });
    }).catch(async (e) => {
      await browser.kill();
      throw e;
    });
    child.stderr!.resume();
    browser.socket = await connectWebSocket(
      url,
      (t) => browser.receive(t),
      (why) => browser.fail(why),
    );
    return browser;
  }

  /** Sends one command (to a page's session when given) and waits for its result. */
  send<T = any>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    if (this.closedWhy) return Promise.reject(new Error(`browser connection closed: ${this.closedWhy}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.socket!.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  on(event: string, listener: Listener): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }

  /** A new tab, attached with its own session. */
  async newPage(width = 1280, height = 900): Promise<Page> {
    const { targetId } = await this.send<{ targetId: string }>("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send<{ sessionId: string }>("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page(this, targetId, sessionId);
    await page.send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false });
    return page;
  }

  async close(): Promise<void> {
    try {
      if (!this.closedWhy) await Promise.race([this.send("Browser.close"), new Promise((r) => setTimeout(r, 3000).unref())]);
    } catch {
      // already gone
    }
    this.socket?.close();
    await this.kill();
  }

  /**
   * Ends the browser's process group (the browser started it, so its renderer and helper
   * processes are in it too) and waits, so the profile is no longer written when removed.
   */
  private async kill(): Promise<void> {
    const pid = this.child.pid;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once("exit", r));
      this.child.kill("SIGKILL");
      await exited;
    }
    try {
      if (pid) process.kill(-pid, "SIGKILL");
    } catch {
      // the group is already gone
    }
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }

  private receive(text: string): void {
    const msg = JSON.parse(text) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: Record<string, unknown>;
      sessionId?: string;
    };
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
    } else if (msg.method) {
      for (const l of this.listeners.get(msg.method) ?? []) l(msg.params ?? {}, msg.sessionId);
    }
  }

  private fail(why: string): void {
    this.closedWhy = why;
    for (const p of this.pending.values()) p.reject(new Error(`${p.method}: browser connection closed: ${why}`));
    this.pending.clear();
  }
}

export interface PageLog {
  readonly errors: string[];
  readonly requests: string[];
}

export class Page {
  constructor(
    private readonly browser: Browser,
    readonly targetId: string,
    readonly sessionId: string,
  ) {}

  send<T = any>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return this.browser.send<T>(method, params, this.sessionId);
  }

  /** Events of this page only. */
  on(event: string, listener: (params: any) => void): () => void {
    return this.browser.on(event, (params, sessionId) => {
      if (sessionId === this.sessionId) listener(params);
    });
  }

  /**
   * Starts recording what a person would never want to see: console errors, uncaught exceptions,
   * browser log errors (a CSP violation is one), and every request the page makes.
   */
  async watch(): Promise<PageLog> {
    const log: PageLog = { errors: [], requests: [] };
    this.on("Runtime.consoleAPICalled", (p) => {
      if (p.type === "error" || p.type === "assert")
        log.errors.push(`console.${p.type}: ${p.args.map((a: { value?: unknown; description?: string }) => a.value ?? a.description).join(" ")}`);
    });
    this.on("Runtime.exceptionThrown", (p) => log.errors.push(`exception: ${p.exceptionDetails.exception?.description ?? p.exceptionDetails.text}`));
    this.on("Log.entryAdded", (p) => {
      if (p.entry.level === "error") log.errors.push(`${p.entry.source}: ${p.entry.text}`);
    });
    this.on("Network.requestWillBeSent", (p) => log.requests.push(p.request.url));
    await Promise.all([this.send("Runtime.enable"), this.send("Log.enable"), this.send("Network.enable")]);
    return log;
  }

  /** Navigates and resolves when the load event fires; the result is the wall time it took. */
  async open(url: string, timeoutMs = 30_000): Promise<number> {
    await this.send("Page.enable");
    const loaded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${url} did not load within ${timeoutMs} ms`)), timeoutMs);
      const off = this.on("Page.loadEventFired", () => {
        clearTimeout(timer);
        off();
        resolve();
      });
    });
    const start = performance.now();
    const nav = await this.send<{ errorText?: string }>("Page.navigate", { url });
    if (nav.errorText) throw new Error(`cannot open ${url}: ${nav.errorText}`);
    await loaded;
    return performance.now() - start;
  }

  /** Evaluates an expression in the page and returns its value (JSON-serialisable values only). */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    const r = await this.send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  /** A PNG of the whole page (not only the viewport). */
  async screenshot(): Promise<Buffer> {
    const { data } = await this.send<{ data: string }>("Page.captureScreenshot", { format: "png", captureBeyondViewport: true });
    return Buffer.from(data, "base64");
  }

  async close(): Promise<void> {
    await this.browser.send("Target.closeTarget", { targetId: this.targetId });
  }
}
