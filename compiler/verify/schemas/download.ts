// Downloads one schema over https with Node's fetch: a time limit on the whole request (headers
// and body), a bounded number of requests at once, and every failure turned into a sentence
// (never an exception or a stack trace) for the diagnostic that names the URL.
import { allowedUrl } from "./locations.js";

export type Download = { kind: "schema"; body: string } | { kind: "missing" } | { kind: "malformed"; reason: string } | { kind: "failed"; reason: string };

export const DEFAULT_TIMEOUT_MS = 30_000;

export async function download(url: string, timeoutMs: number): Promise<Download> {
  let body: string;
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    const ask = () => fetch(url, { signal, headers: { accept: "application/json" } });
    // A kept-alive connection the server closed just as it was reused fails the request before any
    // answer: the GET is sent once more, within the same time limit. Go's net/http does the same
    // for idempotent requests on a reused connection (transport.go, shouldRetryRequest); fetch
    // does not say whether the connection was reused, so any reset before an answer counts.
    const res = await ask().catch((e: unknown) => (closedBeforeAnswer(e) && !signal.aborted ? ask() : Promise.reject(e)));
    if (!allowedUrl(res.url || url)) {
      await res.body?.cancel();
      return { kind: "failed", reason: `redirected to ${res.url}, which is not https` };
    }
    if (res.status === 404 || res.status === 410) {
      await res.body?.cancel();
      return { kind: "missing" };
    }
    if (!res.ok) {
      await res.body?.cancel();
      return { kind: "failed", reason: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}` };
    }
    body = await res.text();
  } catch (e) {
    return { kind: "failed", reason: reasonOf(e, timeoutMs) };
  }
  try {
    const schema: unknown = JSON.parse(body);
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return { kind: "malformed", reason: "not a JSON object" };
  } catch (e) {
    return { kind: "malformed", reason: `not JSON (${(e as Error).message}; ${body.length} bytes received)` };
  }
  return { kind: "schema", body };
}

/** The innermost cause fetch reports ("connect ECONNREFUSED 127.0.0.1:9", "terminated"...). */
function reasonOf(e: unknown, timeoutMs: number): string {
  type Failure = { name?: string; message?: string; code?: string; cause?: unknown; errors?: unknown[] };
  const err = (e ?? {}) as Failure;
  if (err.name === "TimeoutError" || err.name === "AbortError") return `no complete answer within ${timeoutMs / 1000} s`;
  // Errors from Node's internals may come from another realm (jest): follow causes by shape.
  let inner: Failure = err;
  for (let depth = 0; depth < 5; depth++) {
    const next = inner.cause ?? inner.errors?.[0];
    if (typeof next !== "object" || next === null) break;
    inner = next as Failure;
  }
  const text = inner.message || inner.code || String(e);
  return inner !== err && err.message && err.message !== "fetch failed" ? `${err.message}: ${text}` : text;
}

/** A connection reset or closed by the other side before the response began (not a refusal, not a time-out). */
function closedBeforeAnswer(e: unknown): boolean {
  let inner = e as { code?: string; cause?: unknown } | undefined;
  for (let depth = 0; depth < 5 && inner && typeof inner === "object"; depth++) {
    if (inner.code === "ECONNRESET" || inner.code === "EPIPE" || inner.code === "UND_ERR_SOCKET") return true;
    inner = inner.cause as typeof inner;
  }
  return false;
}

/** Runs `tasks` with at most `limit` under way at once. */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((go) => queue.push(go));
    running++;
    try {
      return await task();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}
