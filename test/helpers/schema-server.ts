// A schema catalogue on 127.0.0.1 for tests: serves ../shared/schemas in the layouts of the two
// public catalogues berth's config names, and misbehaves on request (404, slow, truncated, 500).
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { SCHEMAS_DIR } from "./fixture.js";

export type Misbehaviour = "404" | "slow" | "truncated" | "500" | "garbage";

export interface SchemaServer {
  /** Templates for berth: Kubernetes kinds as yannh/kubernetes-json-schema, CRDs as datreeio/CRDs-catalog. */
  readonly kubernetes: string;
  readonly crds: string;
  /** Every request path, in arrival order. */
  readonly requests: string[];
  /** The most requests under way at once. */
  readonly peak: () => number;
  /** Paths (or path suffixes) that misbehave. */
  readonly rules: Map<string, Misbehaviour>;
  /** Replaces a path's content (e.g. a stricter schema for one Kubernetes version). */
  readonly overrides: Map<string, string>;
  close(): Promise<void>;
}

/** The catalogue paths of each shared flat file (`deployment-apps-v1.json`). */
function layouts(): Map<string, string> {
  const paths = new Map<string, string>();
  for (const file of readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith(".json"))) {
    const raw = JSON.parse(readFileSync(join(SCHEMAS_DIR, file), "utf8")) as { properties?: { apiVersion?: { enum?: string[] }; kind?: { enum?: string[] } } };
    const apiVersion = raw.properties?.apiVersion?.enum?.[0];
    const kind = raw.properties?.kind?.enum?.[0];
    if (!apiVersion || !kind || kind === "ClusterConfig") continue; // eksctl is in neither catalogue
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    const k = kind.toLowerCase();
    if (!group!.includes(".") || group!.endsWith(".k8s.io")) {
      const suffix = group ? `-${group.split(".")[0]}-${version}` : `-${version}`;
      for (const v of [...Array.from({ length: 21 }, (_, i) => `v1.${20 + i}.0`), "master"]) paths.set(`/k8s/${v}-standalone-strict/${k}${suffix}.json`, file);
    } else paths.set(`/crds/${group}/${k}_${version}.json`, file);
  }
  return paths;
}

export async function startSchemaServer(): Promise<SchemaServer> {
  const files = layouts();
  const requests: string[] = [];
  const rules = new Map<string, Misbehaviour>();
  const overrides = new Map<string, string>();
  let open = 0;
  let peak = 0;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push(path);
    peak = Math.max(peak, ++open);
    res.on("close", () => open--);
    const rule = [...rules].find(([p]) => path.endsWith(p))?.[1];
    const file = files.get(path);
    const body = overrides.get(path) ?? (file ? readFileSync(join(SCHEMAS_DIR, file), "utf8") : undefined);
    // A little latency, so parallel downloads overlap measurably.
    setTimeout(() => {
      if (rule === "slow") return void setTimeout(() => res.destroyed || res.end(body), 5_000).unref();
      if (rule === "500") return void res.writeHead(500, { "content-type": "text/plain" }).end("boom");
      if (rule === "404" || body === undefined) return void res.writeHead(404).end("404: Not Found");
      if (rule === "garbage") return void res.writeHead(200, { "content-type": "application/json" }).end(body.slice(0, body.length / 2));
      if (rule === "truncated") {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
        res.write(body.slice(0, 100));
        return void setTimeout(() => res.destroy(), 20);
      }
      res.writeHead(200, { "content-type": "application/json" }).end(body);
    }, 15);
  });
  // Node closes a kept-alive connection after 5 s idle; a test starting just then met ECONNRESET on
  // every reused one (berth asks once more, test/unit/download.test.ts): here idle ones stay open.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    kubernetes: `${base}/k8s/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    crds: `${base}/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
    requests,
    peak: () => peak,
    rules,
    overrides,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
