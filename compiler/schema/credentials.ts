// Environment values that look like credentials. A spec is committed to git and its env is
// written verbatim into a Deployment that anyone who can read the namespace can read, so a
// credential there is leaked twice. A warning, not an error: the patterns can misfire.

/** Formats a provider documents for its keys and tokens; each match names what was found. */
const SHAPES: readonly (readonly [RegExp, string])[] = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/, "a private key"],
  [/(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/, "an AWS access key id"],
  [/(?<![A-Za-z0-9_])(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}/, "a GitHub token"],
  [/(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}/, "a GitHub token"],
  [/(?<![A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/, "a Slack webhook URL"],
  [/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, "a JSON Web Token"],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, "a URL with a password in it"],
];

/** Names under which a long random value is almost certainly a secret... */
const SECRET_NAME = /PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH_?KEY/i;
/** ...unless the name says the value only points at one. */
const REFERENCE_NAME = /_(FILE|PATH|DIR|NAME|ARN|URL|URI|ENDPOINT|HEADER|TTL|TIMEOUT|EXPIRY|LIFETIME|LENGTH|SIZE|TYPE|ID)$/i;
const REFERENCE_VALUE = /^(\/|\.{1,2}\/|arn:|\$\{|\$\(|[a-z][a-z0-9+.-]*:\/\/)/i;
const AWS_SECRET_KEY = /^[A-Za-z0-9/+]{40}$/;

/** Shannon entropy of the characters, in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits;
}

/** What the value looks like (e.g. "an AWS access key id"), or undefined when it looks harmless. */
export function credentialKind(name: string, value: string): string | undefined {
  for (const [shape, kind] of SHAPES) if (shape.test(value)) return kind;
  if (!SECRET_NAME.test(name) || REFERENCE_NAME.test(name) || REFERENCE_VALUE.test(value)) return undefined;
  if (/AWS|SECRET_ACCESS/i.test(name) && AWS_SECRET_KEY.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value)) return "an AWS secret access key";
  if (value.length >= 16 && !/\s/.test(value) && entropy(value) >= 3.5) return "a secret (a long random value under a secret's name)";
  return undefined;
}
