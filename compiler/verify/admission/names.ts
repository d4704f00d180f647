// The API server's syntax rules for names, labels, ports and environment variables, ported from
// kubernetes/apimachinery pkg/api/validate/content (dns.go IsDNS1123Label, IsDNS1123Subdomain,
// IsDNS1035Label; kube.go IsLabelKey, IsLabelValue) and pkg/util/validation/validation.go
// (IsValidPortName, IsEnvVarName, IsRelaxedEnvVarName). Each returns the reasons a value fails,
// empty when it passes, in the upstream wording.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

const maxLen = (n: number) => `must be no more than ${n} bytes`;
const bytes = (s: string) => Buffer.byteLength(s, "utf8");

export function isDns1123Label(v: string): string[] {
  const errs: string[] = [];
  if (bytes(v) > 63) errs.push(maxLen(63));
  if (!DNS1123_LABEL.test(v))
    errs.push(
      DNS1123_SUBDOMAIN.test(v)
        ? "must not contain dots"
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    );
  return errs;
}

export function isDns1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (bytes(v) > 253) errs.push(maxLen(253));
  if (!DNS1123_SUBDOMAIN.test(v))
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  return errs;
}

export function isDns1035Label(v: string): string[] {
  const errs: string[] = [];
  if (bytes(v) > 63) errs.push(maxLen(63));
  if (!DNS1035_LABEL.test(v))
    errs.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
    );
  return errs;
}

/** RBAC names are path segments (ValidateRBACName, apimachinery pkg/api/validation/path IsValidPathSegmentName). */
export function isPathSegmentName(v: string): string[] {
  if (v === "." || v === "..") return [`may not be '${v}'`];
  return ["/", "%"].filter((c) => v.includes(c)).map((c) => `may not contain '${c}'`);
}

/** A label key, also an annotation key: an optional DNS subdomain prefix and '/', then a name. */
export function isLabelKey(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split("/");
  if (parts.length > 2)
    return [
      "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'",
    ];
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === "") errs.push("prefix part must be non-empty");
    else errs.push(...isDns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  }
  if (name === "") errs.push("name part must be non-empty");
  else if (bytes(name) > 63) errs.push(`name part ${maxLen(63)}`);
  if (!LABEL_KEY_NAME.test(name))
    errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  return errs;
}

export function isLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (bytes(v) > 63) errs.push(maxLen(63));
  if (!LABEL_VALUE.test(v))
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  return errs;
}

/** IANA_SVC_NAME: what a container port's name must be, so a Service can target it by name. */
export function isValidPortName(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 15) errs.push(maxLen(15));
  if (!/^[-a-z0-9]+$/.test(v)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(v)) errs.push("must contain at least one letter (a-z)");
  if (v.includes("--")) errs.push("must not contain consecutive hyphens");
  if (v.startsWith("-") || v.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

/** The environment-variable rule before RelaxedEnvironmentVariableValidation (default on from 1.32). */
export function isEnvVarName(v: string): string[] {
  const errs: string[] = [];
  if (!ENV_VAR_NAME.test(v))
    errs.push("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit");
  if (v === ".") errs.push("must not be '.'");
  else if (v === "..") errs.push("must not be '..'");
  else if (v.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

export function isRelaxedEnvVarName(v: string): string[] {
  if (v === "") return ["environment variable name must be non-empty"];
  // Printable ASCII is ' ' (0x20) to '~' (0x7e); '=' separates name and value.
  for (const ch of v)
    if (ch < " " || ch > "~" || ch === "=") return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
  return [];
}

/** The rule the API server of `minor` (1.x) applies to env names: relaxed from 1.32, when the gate defaults on. */
export function envVarNameProblems(v: string, minor: number): string[] {
  return minor >= 32 ? isRelaxedEnvVarName(v) : isEnvVarName(v);
}
