// Schema locations, as kubeconform takes them: a folder, or a URL template whose `{{ .Var }}`
// placeholders are filled in per kind. Pure: no file or network access here.
import { isAbsolute, join, resolve } from "node:path";

/** The template variables berth fills in, with kubeconform's meaning (see docs/schemas.md). */
export const TEMPLATE_VARIABLES = ["ResourceKind", "ResourceAPIVersion", "Group", "KindSuffix", "NormalizedKubernetesVersion", "StrictSuffix"] as const;
type Variable = (typeof TEMPLATE_VARIABLES)[number];

/**
 * What kubeconform appends to a URL that does not name a .json file: the layout of
 * yannh/kubernetes-json-schema, so a bare catalogue URL works as it does there.
 */
const KUBECONFORM_LAYOUT = "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json";

const PLACEHOLDER = /\{\{(.*?)\}\}/g;
const VARIABLE = /^\s*\.([A-Za-z]+)\s*$/;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

export interface Location {
  /** As the user wrote it, for messages. */
  readonly raw: string;
  readonly type: "folder" | "url";
  /** Folder: absolute path, possibly a template; URL: the template. */
  readonly template: string;
  /** A folder without placeholders: berth's flat `<kind>-<group>-<version>.json` layout. */
  readonly flat: boolean;
}

/** The kind a schema is wanted for; k8sVersion is a minor version ("1.28") or undefined (master). */
export interface SchemaKey {
  readonly apiVersion: string;
  readonly kind: string;
  readonly k8sVersion?: string;
}

/** A location, or why the text is not one. Relative folders resolve against `base`. */
export function parseLocation(raw: string, base: string): Location | { error: string; hint: string } {
  const text = raw.trim();
  if (text === "") return { error: "a schema location is empty", hint: "write a folder or an https:// URL template" };
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = VARIABLE.exec(m[1]!)?.[1];
    if (!name || !(TEMPLATE_VARIABLES as readonly string[]).includes(name))
      return {
        error: `schema location ${text}: unsupported template expression ${m[0]}`,
        hint: `berth fills in ${TEMPLATE_VARIABLES.map((v) => `{{ .${v} }}`).join(", ")}`,
      };
  }
  if (/\{\{|\}\}/.test(text.replace(PLACEHOLDER, "")))
    return { error: `schema location ${text}: unbalanced {{ }}`, hint: "write placeholders as {{ .ResourceKind }}" };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    const path = isAbsolute(text) ? text : resolve(base, text);
    return { raw, type: "folder", template: path, flat: !text.includes("{{") };
  }
  let url: URL;
  try {
    url = new URL(text.replace(PLACEHOLDER, "x"));
  } catch {
    return { error: `schema location ${text} is not a valid URL`, hint: "write an https:// URL template" };
  }
  const loopback = LOOPBACK.has(url.hostname);
  if (scheme !== "https" && !(scheme === "http" && loopback))
    return {
      error: `schema location ${text}: berth downloads schemas over https only`,
      hint: scheme === "http" ? "write https://; plain http is allowed only for 127.0.0.1 and localhost" : "write a folder or an https:// URL template",
    };
  const template = /json$/.test(text) ? text : text.replace(/\/+$/, "") + KUBECONFORM_LAYOUT;
  return { raw, type: "url", template, flat: false };
}

/** http is acceptable only to this machine (tests); everything else must be https. */
export function allowedUrl(u: string): boolean {
  try {
    const url = new URL(u);
    return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}

/** "1.28" -> "v1.28.0", as kubeconform names yannh's folders; no version -> "master". */
export function normalizedVersion(k8sVersion: string | undefined): string {
  if (!k8sVersion) return "master";
  const parts = k8sVersion.replace(/^v/, "").split(".");
  while (parts.length < 3) parts.push("0");
  return `v${parts.join(".")}`;
}

/** The values of the template variables for one kind, computed as kubeconform computes them. */
export function variables(key: SchemaKey): Record<Variable, string> {
  const parts = key.apiVersion.split("/");
  const group = parts[0]!;
  const version = parts[parts.length - 1]!;
  // kubeconform names a kind by the first label of its group only: networkpolicy-networking-v1.
  const kindSuffix = "-" + group.split(".")[0]!.toLowerCase() + (parts.length > 1 ? "-" + version.toLowerCase() : "");
  return {
    ResourceKind: key.kind.toLowerCase(),
    ResourceAPIVersion: version,
    Group: group,
    KindSuffix: kindSuffix,
    NormalizedKubernetesVersion: normalizedVersion(key.k8sVersion),
    StrictSuffix: "-strict",
  };
}

export function expand(template: string, key: SchemaKey): string {
  const vars = variables(key);
  return template.replace(PLACEHOLDER, (_m, inner: string) => vars[VARIABLE.exec(inner)![1] as Variable]);
}

/** berth's flat file name: the full group, `networkpolicy-networking.k8s.io-v1.json`. */
export function flatFileName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return `${kind}${group ? `-${group}` : ""}-${version}.json`.toLowerCase();
}

/** The files or URLs a location offers for a kind, in the order they are tried. */
export function candidates(loc: Location, key: SchemaKey): string[] {
  if (!loc.flat) return [expand(loc.template, key)];
  const own = join(loc.template, flatFileName(key.apiVersion, key.kind));
  // A copy of a yannh folder names kinds by the group's first label only; accept that too.
  const yannh = join(loc.template, `${key.kind.toLowerCase()}${variables(key).KindSuffix}.json`);
  return own === yannh ? [own] : [own, yannh];
}

/** The part of a folder location before its first placeholder: what must exist on disk. */
export function folderRoot(loc: Location): string {
  if (loc.flat) return loc.template;
  const cut = loc.template.indexOf("{{");
  return loc.template.slice(0, loc.template.lastIndexOf("/", cut) + 1) || ".";
}
