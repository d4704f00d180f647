// CRD schemas carry Go (RE2) patterns; a leading group of inline flags, as in the Prometheus
// Operator's `^(?i)(abort|warn)?$`, is RE2 syntax JavaScript rejects: it becomes the RegExp's flags.
// `code` names it in ajv's standalone code, whose loader (lazy-schema.ts) passes it in by that name.
export const goRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => {
    const inline = /^\^?\(\?([ims]+)\)/.exec(pattern);
    if (!inline) return new RegExp(pattern, flags);
    const anchor = pattern.startsWith("^") ? "^" : "";
    const extra = [...new Set(inline[1]!)].filter((f) => !flags.includes(f)).join("");
    return new RegExp(anchor + pattern.slice(inline[0].length), flags + extra);
  },
  { code: "goRegExp" },
);
