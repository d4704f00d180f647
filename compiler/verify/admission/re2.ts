// Whether a regex is one Envoy accepts. Envoy compiles route regexes with Google RE2, and istiod
// validates them first with Go's regexp (RE2 syntax) and a length limit
// (validateStringRegexp in istio/istio pkg/config/validation/virtualservice.go). JavaScript's
// RegExp is not RE2: it accepts backreferences, lookaround and \Z, and rejects RE2's inline
// flags, \z, \Q…\E and POSIX classes. So the pattern is scanned for what RE2 lacks, then
// rewritten into the JavaScript equivalent of its RE2 reading and compiled, to catch plain
// syntax errors (unbalanced groups, bad ranges) the way RE2 would.

/** istiod rejects longer regexes: Envoy's program-size limit, approximated by length. */
export const ISTIO_MAX_REGEX_LENGTH = 1024;
/** RE2's largest repetition count (`x{1001}` fails in RE2 and Go's regexp). */
const MAX_REPEAT = 1000;

const POSIX_CLASSES = new Set(["alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit"]);
/** RE2's flags: case-insensitive, multi-line, dot matches newline, ungreedy. */
const RE2_FLAGS = /^[imsU]*(-[imsU]*)?$/;
/** Escapes RE2 does not have, with what a Perl or JavaScript author meant by them. */
const UNSUPPORTED_ESCAPES: Record<string, string> = {
  Z: "\\Z (end of text before a final newline; RE2 has \\z)",
  G: "\\G (end of the previous match)",
  K: "\\K (reset the match start)",
  R: "\\R (any line break)",
  X: "\\X (an extended grapheme cluster)",
  N: "\\N (a named or non-newline character)",
  c: "\\c (a control character)",
  e: "\\e (escape)",
  u: "\\u (a UTF-16 escape; RE2 writes \\x{…})",
  o: "\\o{…} (octal)",
  h: "\\h (horizontal space)",
  H: "\\H (not horizontal space)",
  V: "\\V (not vertical space)",
  g: "\\g (a backreference)",
  k: "\\k (a named backreference)",
};

/** What keeps Envoy (RE2) or istiod from accepting `re`; empty when both accept it. */
export function re2Problems(re: string): string[] {
  if (re === "") return ["is empty: istiod requires a non-empty regex"];
  const problems: string[] = [];
  if (re.length > ISTIO_MAX_REGEX_LENGTH) problems.push(`is ${re.length} characters long; istiod allows ${ISTIO_MAX_REGEX_LENGTH}`);
  const scanned = translate(re, problems);
  if (problems.length === 0 && scanned !== undefined) {
    try {
      new RegExp(scanned, "u");
    } catch (e) {
      problems.push(`is not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /s, "")})`);
    }
  }
  return problems;
}

function translate(re: string, problems: string[]): string | undefined {
  let out = "";
  let i = 0;
  let lastWasRepeat: "none" | "repeat" | "lazy" = "none";
  let hasAtom = false;
  const names = new Set<string>();
  let groups = 0;
  const unsupported = (what: string) => problems.push(`uses ${what}, which RE2 does not support`);
  while (i < re.length) {
    const c = re[i]!;
    if (c === "\\") {
      const e = escape(re, i, false, unsupported, problems);
      if (e === undefined) return undefined;
      out += e.js;
      i = e.next;
      lastWasRepeat = "none";
      hasAtom = !e.empty;
      continue;
    }
    if (c === "[") {
      const cls = charClass(re, i, unsupported, problems);
      if (cls === undefined) return undefined;
      out += cls.js;
      i = cls.next;
      lastWasRepeat = "none";
      hasAtom = true;
      continue;
    }
    if (c === "(" && re[i + 1] === "?") {
      const g = groupOpening(re, i, names, groups, unsupported, problems);
      if (g === undefined) return undefined;
      if (g.capture) groups++;
      out += g.js;
      i = g.next;
      lastWasRepeat = "none";
      hasAtom = false;
      continue;
    }
    if (c === "*" || c === "+" || c === "?" || (c === "{" && repeatAt(re, i))) {
      const r = c === "{" ? repeatAt(re, i)! : { text: c, next: i + 1, min: 0, max: 0 };
      // A `?` right after a repetition makes it lazy; any other operator there is refused.
      if (lastWasRepeat === "repeat" && c === "?") {
        lastWasRepeat = "lazy";
        out += c;
        i++;
        continue;
      }
      if (lastWasRepeat !== "none") {
        problems.push(
          c === "+" && lastWasRepeat === "repeat"
            ? `uses a possessive quantifier (${re.slice(i - 1, r.next)}), which RE2 does not support`
            : `repeats a repetition (${re.slice(Math.max(0, i - 1), r.next)}): RE2 reports an invalid nested repetition operator`,
        );
        return undefined;
      }
      if (!hasAtom) {
        problems.push(`has a repetition operator ${r.text} with nothing to repeat`);
        return undefined;
      }
      if (r.max > MAX_REPEAT || r.min > MAX_REPEAT) {
        problems.push(`repeats ${r.text}: RE2 allows counts up to ${MAX_REPEAT}`);
        return undefined;
      }
      if (r.max >= 0 && r.min > r.max && c === "{") {
        problems.push(`repeats ${r.text}: the minimum is above the maximum`);
        return undefined;
      }
      lastWasRepeat = "repeat";
      out += r.text;
      i = r.next;
      continue;
    }
    if (c === "(") groups++;
    // RE2 reads a brace that starts no repetition, and a lone `]`, as literals; JavaScript's u mode does not.
    out += c === "{" || c === "}" || c === "]" ? `\\${c}` : c;
    hasAtom = c !== "(" && c !== "|" && c !== "^" && c !== "$";
    lastWasRepeat = "none";
    i++;
  }
  return out;
}

function repeatAt(re: string, i: number): { text: string; next: number; min: number; max: number } | undefined {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(re.slice(i));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === "" ? -1 : Number(m[3]);
  return { text: m[0], next: i + m[0].length, min, max };
}

interface Piece {
  readonly js: string;
  readonly next: number;
  readonly empty?: boolean;
}

function hex(ch: string): string {
  return `\\u{${ch.codePointAt(0)!.toString(16)}}`;
}

function escape(re: string, i: number, inClass: boolean, unsupported: (what: string) => void, problems: string[]): Piece | undefined {
  const c = re[i + 1];
  if (c === undefined) {
    problems.push("ends with a lone backslash");
    return undefined;
  }
  if (/[1-9]/.test(c) && !/[0-7]/.test(re[i + 2] ?? "")) {
    unsupported(`a backreference (\\${c})`);
    return undefined;
  }
  if (c === "k" && re[i + 2] === "<") {
    unsupported("a named backreference (\\k<…>)");
    return undefined;
  }
  if (c in UNSUPPORTED_ESCAPES && !(c === "x")) {
    unsupported(UNSUPPORTED_ESCAPES[c]!);
    return undefined;
  }
  if (/[0-7]/.test(c)) {
    const m = /^[0-7]{1,3}/.exec(re.slice(i + 1))!;
    return { js: hex(String.fromCodePoint(parseInt(m[0], 8))), next: i + 1 + m[0].length };
  }
  if (c === "Q" && !inClass) {
    const end = re.indexOf("\\E", i + 2);
    const literal = end < 0 ? re.slice(i + 2) : re.slice(i + 2, end);
    return { js: [...literal].map(hex).join(""), next: end < 0 ? re.length : end + 2, empty: literal === "" };
  }
  if (c === "E") return { js: "", next: i + 2, empty: true };
  if (c === "x") {
    const m = /^x(\{([0-9A-Fa-f]+)\}|[0-9A-Fa-f]{2})/.exec(re.slice(i + 1));
    if (!m || (m[2] !== undefined && parseInt(m[2], 16) > 0x10ffff)) {
      problems.push(`has an invalid \\x escape at ${re.slice(i, i + 6)}`);
      return undefined;
    }
    return { js: `\\u{${m[2] ?? m[1]}}`, next: i + 1 + m[0].length };
  }
  if (c === "p" || c === "P") {
    const m = /^[pP](\{\^?[A-Za-z_]+\}|[A-Za-z])/.exec(re.slice(i + 1));
    if (!m) {
      problems.push(`has an invalid Unicode class at ${re.slice(i, i + 4)}`);
      return undefined;
    }
    // RE2 and JavaScript name scripts differently; the class itself is kept as a placeholder.
    return { js: c === "p" ? "\\p{L}" : "\\P{L}", next: i + 1 + m[0].length };
  }
  if (c === "z") return { js: inClass ? "z" : "$", next: i + 2, empty: true };
  if (c === "A") return { js: inClass ? "A" : "^", next: i + 2, empty: true };
  if (c === "C") return { js: inClass ? "C" : "[^]", next: i + 2 };
  if (c === "a") return { js: "\\u{7}", next: i + 2 };
  if (/[dDsSwWbBfnrtv]/.test(c)) return { js: `\\${c}`, next: i + 2, empty: c === "b" || c === "B" };
  if (/[A-Za-z0-9]/.test(c)) {
    problems.push(`has the escape \\${c}, which RE2 does not know`);
    return undefined;
  }
  return { js: hex(c), next: i + 2 };
}

function charClass(re: string, i: number, unsupported: (what: string) => void, problems: string[]): Piece | undefined {
  let j = i + 1;
  let js = "[";
  if (re[j] === "^") {
    js += "^";
    j++;
  }
  let first = true;
  while (j < re.length && (re[j] !== "]" || first)) {
    first = false;
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(re.slice(j));
    if (posix) {
      if (!POSIX_CLASSES.has(posix[2]!)) {
        problems.push(`names the class [:${posix[2]}:], which RE2 does not know`);
        return undefined;
      }
      js += "a";
      j += posix[0].length;
    } else if (re[j] === "\\") {
      const e = escape(re, j, true, unsupported, problems);
      if (e === undefined) return undefined;
      js += e.js;
      j = e.next;
    } else {
      const ch = String.fromCodePoint(re.codePointAt(j)!);
      js += ch === "[" || ch === "]" || ch === "/" ? hex(ch) : ch;
      j += ch.length;
    }
  }
  if (j >= re.length) {
    problems.push("has a character class without its closing ]");
    return undefined;
  }
  return { js: js + "]", next: j + 1 };
}

function groupOpening(
  re: string,
  i: number,
  names: Set<string>,
  groups: number,
  unsupported: (what: string) => void,
  problems: string[],
): (Piece & { capture: boolean }) | undefined {
  const rest = re.slice(i + 2);
  const kinds: [RegExp, string][] = [
    [/^=/, "a lookahead ((?=…))"],
    [/^!/, "a negative lookahead ((?!…))"],
    [/^<=/, "a lookbehind ((?<=…))"],
    [/^<!/, "a negative lookbehind ((?<!…))"],
    [/^>/, "an atomic group ((?>…))"],
    [/^#/, "a comment group ((?#…))"],
    [/^\(/, "a conditional group ((?(…)…))"],
    [/^\|/, "a branch-reset group ((?|…))"],
    [/^(R|[+-]?\d+|&\w+|P>\w+)\)/, "recursion ((?R), (?1), (?&name))"],
    [/^P=\w+\)/, "a named backreference ((?P=name))"],
  ];
  for (const [pattern, what] of kinds)
    if (pattern.test(rest)) {
      unsupported(what);
      return undefined;
    }
  const named = /^P?<([^>]*)>/.exec(rest);
  if (named) {
    const name = named[1]!;
    if (!/^[A-Za-z0-9_]+$/.test(name)) {
      problems.push(`names a group ${JSON.stringify(name)}: RE2 group names are letters, digits and _`);
      return undefined;
    }
    if (names.has(name)) {
      problems.push(`names two groups ${name}`);
      return undefined;
    }
    names.add(name);
    return { js: `(?<g${groups}>`, next: i + 2 + named[0].length, capture: true };
  }
  const flags = /^([A-Za-z-]*)([:)])/.exec(rest);
  if (flags && flags[1] !== "") {
    if (!RE2_FLAGS.test(flags[1]!)) {
      problems.push(`sets the flags ${flags[1]}; RE2 knows i, m, s and U`);
      return undefined;
    }
    return { js: flags[2] === ":" ? "(?:" : "", next: i + 2 + flags[0].length, capture: false };
  }
  if (rest.startsWith(":")) return { js: "(?:", next: i + 3, capture: false };
  problems.push(`has an unknown group (?${rest.slice(0, 2)}`);
  return undefined;
}
