// Stateful services: the platform's catalogue of store engines, and the Store kind teams write
// in models/<tenant>/<store>.yaml.
import { z } from "zod";
import { dnsLabel, fail, positiveInt, quantity, resources, specDocument } from "./common.js";

/** An absolute path inside the container: where the engine keeps its data (the volume mount). */
const dataPath = z.string().superRefine((v, ctx) => {
  if (!/^\/[A-Za-z0-9._/-]*$/.test(v) || v.includes("//") || v.split("/").includes(".."))
    fail(ctx, "BERTH0202", `dataPath "${v}" is not an absolute path`, "write an absolute path without spaces or '..', e.g. /qdrant/storage");
  else if (["/", "/tmp", "/proc", "/sys", "/dev", "/etc"].includes(v.replace(/\/$/, "") || "/"))
    fail(
      ctx,
      "BERTH0202",
      `dataPath ${v} would hide a directory the container needs`,
      "mount the data where the engine's image expects it, e.g. /qdrant/storage",
    );
});

const httpPath = z.string().regex(/^\/[A-Za-z0-9._~/-]*$/);

/** One engine of the platform's `stores`: the image, its port, and where it writes data. */
export const storeEngine = z.strictObject({
  image: z.string(),
  port: positiveInt.max(65535),
  dataPath,
  /** The least storage per replica the engine runs with (default 1Gi, gp3's minimum). */
  minStorage: quantity("memory").optional(),
  /** HTTP probe paths on `port`; without them the probes open a TCP connection to it. */
  probes: z.strictObject({ readiness: httpPath.optional(), liveness: httpPath.optional() }).optional(),
});

export const storeSpec = z.strictObject({
  engine: dnsLabel,
  replicas: positiveInt.max(100).optional(),
  resources: resources.optional(),
  storage: z.strictObject({ size: quantity("memory") }),
  pool: dnsLabel.optional(),
  clients: z.array(dnsLabel).optional(),
  clusters: z.array(dnsLabel).min(1).optional(),
});

export const storeDoc = specDocument(storeSpec);

export type StoreSpec = z.infer<typeof storeSpec>;
export type StoreEngine = z.infer<typeof storeEngine>;
