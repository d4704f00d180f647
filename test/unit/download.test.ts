// download(): a connection the server drops before answering is asked once more; a refusal, a
// time-out or a body cut short is not, and each failure is one sentence.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { download } from "../../compiler/verify/schemas/download.js";

const SCHEMA = JSON.stringify({ type: "object", properties: { kind: { enum: ["Deployment"] } } });

/** A server answering the nth request (from 1) with `answer(n, req, res)`; counts requests. */
async function serve(answer: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  let n = 0;
  const server = createServer((req, res) => answer(++n, req, res));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/deployment-apps-v1.json`;
  const close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return { url, requests: () => n, close };
}

test("a connection dropped before any answer is asked once more, and the schema arrives", async () => {
  const s = await serve((n, req, res) => (n === 1 ? req.socket.destroy() : res.writeHead(200, { "content-type": "application/json" }).end(SCHEMA)));
  try {
    expect(await download(s.url, 5_000)).toEqual({ kind: "schema", body: SCHEMA });
    expect(s.requests()).toBe(2);
  } finally {
    await s.close();
  }
});

test("dropped twice: one failure naming the cause, after exactly two requests", async () => {
  const s = await serve((_n, req) => req.socket.destroy());
  try {
    const d = await download(s.url, 5_000);
    expect(d.kind).toBe("failed");
    expect(d.kind === "failed" && d.reason).toMatch(/other side closed|ECONNRESET|socket hang up/);
    expect(s.requests()).toBe(2);
  } finally {
    await s.close();
  }
});

test("a body cut short after the answer began is not asked again", async () => {
  const s = await serve((_n, _req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(SCHEMA.length) });
    res.write(SCHEMA.slice(0, 10));
    setTimeout(() => res.destroy(), 20);
  });
  try {
    expect((await download(s.url, 5_000)).kind).toBe("failed");
    expect(s.requests()).toBe(1);
  } finally {
    await s.close();
  }
});

test("an answer slower than the limit is a time-out, not asked again", async () => {
  const s = await serve((_n, _req, res) => void setTimeout(() => res.destroyed || res.end(SCHEMA), 2_000).unref());
  try {
    expect(await download(s.url, 200)).toEqual({ kind: "failed", reason: "no complete answer within 0.2 s" });
    expect(s.requests()).toBe(1);
  } finally {
    await s.close();
  }
});

test("a refused connection is one failure", async () => {
  const s = await serve(() => undefined);
  const url = s.url;
  await s.close();
  const d = await download(url, 5_000);
  expect(d).toEqual({ kind: "failed", reason: expect.stringMatching(/ECONNREFUSED/) });
});

test("404 is missing; 500 is a failure with its status", async () => {
  const s = await serve((n, _req, res) => void (n === 1 ? res.writeHead(404).end() : res.writeHead(500, "Internal Server Error").end("boom")));
  try {
    expect(await download(s.url, 5_000)).toEqual({ kind: "missing" });
    expect(await download(s.url, 5_000)).toEqual({ kind: "failed", reason: "HTTP 500 Internal Server Error" });
  } finally {
    await s.close();
  }
});
