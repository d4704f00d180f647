// Environment values reach a container as text, so berth takes them as the user wrote them. YAML
// reads a plain `0755` as the number 755, `12345678901234567890` as a rounded float, `1e3` as
// 1000 and `0x1F` as 31; converting those back would change the value. So a plain number or
// boolean keeps its source text verbatim (`0755` stays "0755", `true` stays "true"); `~`, `null`
// and an empty value are no text at all and are errors asking for quotes (validate.ts).
import { isAlias, isMap, isScalar, type Document } from "yaml";
import type { Diagnostics, PathSegment } from "../diagnostics.js";
import { findNode, type ParsedFile } from "../parse.js";
import { credentialKind } from "./credentials.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every `env` mapping of a model spec, as data with its path: in versions and in overrides. */
function envMaps(data: unknown): [PathSegment[], Obj][] {
  const spec = isObj(data) ? data.spec : undefined;
  if (!isObj(spec)) return [];
  const out: [PathSegment[], Obj][] = [];
  const fromVersions = (versions: unknown, at: PathSegment[]) => {
    if (!Array.isArray(versions)) return;
    versions.forEach((v, i) => {
      if (isObj(v) && isObj(v.env)) out.push([[...at, "versions", i, "env"], v.env]);
    });
  };
  fromVersions(spec.versions, ["spec"]);
  if (isObj(spec.overrides)) for (const [cluster, o] of Object.entries(spec.overrides)) if (isObj(o)) fromVersions(o.versions, ["spec", "overrides", cluster]);
  return out;
}

function resolve(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/**
 * Rewrites a model's env values in `parsed.data` to their source text (before the schema sees
 * them), and warns where a value looks like a credential. One pass over each env mapping's pairs:
 * linear in the number of variables.
 */
export function prepareEnv(parsed: ParsedFile, diags: Diagnostics): void {
  const file = parsed.source.path;
  for (const [path, env] of envMaps(parsed.data)) {
    const map = resolve(parsed.doc, findNode(parsed.doc, path).node);
    if (isMap(map))
      for (const pair of map.items) {
        const key = resolve(parsed.doc, pair.key);
        const value = resolve(parsed.doc, pair.value);
        if (!isScalar(key) || !isScalar(value)) continue;
        const name = String(key.value);
        if (typeof env[name] === "number" || typeof env[name] === "boolean") env[name] = value.source ?? String(value.value);
      }
    for (const [name, value] of Object.entries(env)) {
      const kind = typeof value === "string" ? credentialKind(name, value) : undefined;
      if (kind)
        diags.report(
          "BERTH0236",
          { file, path: [...path, name] },
          `${dotted([...path, name])} looks like ${kind}: it would be committed to git and written into the rendered Deployment, readable by anyone who can read the repository or the namespace`,
          "keep credentials out of specs: store them in AWS Secrets Manager and read them at run time with the model's Pod Identity role, or have the platform team provide them as a Kubernetes Secret; rotate this one if it is real",
        );
    }
  }
}

function dotted(path: readonly PathSegment[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
