// `node dist/bench/sizes.js [--models 10000] [--clusters 3]`: the largest rendered objects of a
// generated fleet, against the 1.5 MiB the API server and etcd accept in one request
// (etcd --max-request-bytes, 1.5 MiB by default; the API server stores custom resources as JSON).
// Also what a single gateway VirtualService holding every model's routes would weigh, the design
// the per-model VirtualServices replace.
import { parseArgs } from "node:util";
import { compile } from "../compiler/compile.js";
import type { SpecTree } from "../compiler/load/load.js";
import { generateFleet, type FleetFiles } from "./fleet.js";
import { fleetOptionsFrom } from "./generate.js";

const ETCD_REQUEST_LIMIT = 1.5 * 1024 * 1024;

function memoryTree(files: FleetFiles): SpecTree {
  const paths = [...files.keys()].sort();
  return {
    list: (dir) => paths.filter((p) => p.startsWith(dir + "/")),
    read: (p) => (files.has(p) ? Buffer.from(files.get(p)!, "utf8") : { code: "BERTH0001", detail: "missing" }),
  };
}

function main(): void {
  const { values } = parseArgs({
    options: { models: { type: "string", default: "10000" }, clusters: { type: "string" }, top: { type: "string", default: "8" } },
  });
  const opts = fleetOptionsFrom({ clusters: values.clusters }, Number(values.models));
  const started = Date.now();
  const result = compile({ tree: memoryTree(generateFleet(opts)), serialize: false });
  if (!result.ok)
    throw new Error(
      `the fleet does not compile: ${result.diagnostics
        .slice(0, 5)
        .map((d) => `${d.code} ${d.message}`)
        .join("; ")}`,
    );
  const sized = result.objects
    .map((r) => ({ path: r.path, kind: r.object.kind, bytes: Buffer.byteLength(JSON.stringify(r.object)) }))
    .sort((a, b) => b.bytes - a.bytes);
  const perKind = new Map<string, (typeof sized)[number]>();
  for (const s of sized) if (!perKind.has(s.kind)) perKind.set(s.kind, s);
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const lines = [
    `fleet: ${opts.models} models x ${opts.versions} versions, ${opts.tenants} tenants, ${opts.clusters} clusters: ${result.objects.length} objects (compiled in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `limit: ${kib(ETCD_REQUEST_LIMIT)} per object (etcd --max-request-bytes)`,
    "",
    "| object | kind | JSON size | share of the limit |",
    "|---|---|--:|--:|",
    ...sized.slice(0, Number(values.top)).map((s) => `| ${s.path} | ${s.kind} | ${kib(s.bytes)} | ${((100 * s.bytes) / ETCD_REQUEST_LIMIT).toFixed(1)} % |`),
    "",
    "largest per kind:",
    ...[...perKind.values()].map((s) => `- ${s.kind}: ${kib(s.bytes)} (${s.path})`),
  ];
  // One cluster's routes, all in one VirtualService: what a single gateway-bound object would hold.
  const cluster = result.plan!.clusters[0]!.name;
  const routes = result.objects.filter((r) => r.owner.cluster === cluster && r.object.kind === "VirtualService");
  const merged = {
    apiVersion: "networking.istio.io/v1beta1",
    kind: "VirtualService",
    metadata: { name: "all-models", namespace: "istio-system" },
    spec: { http: routes.flatMap((r) => (r.object.spec as { http: unknown[] }).http) },
  };
  lines.push(
    "",
    `all ${routes.length} models' routes of ${cluster} in one VirtualService would be ${kib(Buffer.byteLength(JSON.stringify(merged)))}, ${(Buffer.byteLength(JSON.stringify(merged)) / ETCD_REQUEST_LIMIT).toFixed(1)}x the limit`,
  );
  process.stdout.write(lines.join("\n") + "\n");
}

try {
  main();
} catch (e) {
  process.stderr.write(`sizes: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
