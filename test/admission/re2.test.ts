// RE2 compatibility of route regexes: what Envoy (RE2) and istiod (Go's regexp, RE2 syntax, at most
// 1024 characters: validateStringRegexp) accept, which JavaScript's RegExp is not. Invalid cases
// are from Go's regexp/syntax/parse_test.go invalidRegexps and onlyPOSIX tables; the constructs RE2
// lacks are from its syntax page (https://github.com/google/re2/wiki/Syntax, "NOT SUPPORTED").
import { ISTIO_MAX_REGEX_LENGTH, re2Problems } from "../../compiler/verify/admission/re2.js";

const valid = [
  ".+",
  ".*",
  "a",
  "a.b",
  "abc|def",
  "a(?:b)c|abd",
  "(a)|b",
  "a*?",
  "a+?",
  "a??",
  "a{2}?",
  "a{2,3}",
  "a{2,}",
  "x{1000}",
  "[ace]",
  "[a-z]",
  "[^a-z0-9]",
  "[[:lower:]]",
  "[^[:lower:]]",
  "[[:^alpha:]]",
  "\\d\\D\\s\\S\\w\\W",
  "(?i)\\w",
  "(?i:abc)",
  "(?s).",
  "(?U)a+",
  "\\pL",
  "\\p{Greek}",
  "\\P{Braille}",
  "[\\p{Braille}]",
  "\\Q+|*?{[\\E",
  "(?P<name>a)",
  "(?<name>a)",
  "\\x{10FFFF}",
  "\\x41",
  "\\101",
  "\\.\\*\\-",
  "^v1\\.[0-9]+$",
  "a{",
  "}",
  "\\z",
  "\\Aab\\z",
  "[a-b-c]",
  "\\a\\f\\t\\n\\r\\v",
];

const invalid: [string, RegExp][] = [
  // Go regexp/syntax invalidRegexps
  ["(", /not a valid regular expression/],
  [")", /not a valid regular expression/],
  ["(a", /not a valid regular expression/],
  ["a)", /not a valid regular expression/],
  ["(a))", /not a valid regular expression/],
  ["(a|b|", /not a valid regular expression/],
  ["[a-z", /without its closing \]/],
  ["([a-z)", /without its closing \]/],
  ["x{1001}", /counts up to 1000/],
  ["x{9876543210}", /counts up to 1000/],
  ["x{2,1}", /minimum is above the maximum/],
  ["x{1,9876543210}", /counts up to 1000/],
  ["(?P<name>a", /not a valid regular expression/],
  ["(?P<name", /unknown group/],
  ["(?P<x y>a)", /RE2 group names are letters, digits and _/],
  ["(?P<>a)", /RE2 group names/],
  ["[a-Z]", /not a valid regular expression/],
  ["\\Q\\E*", /nothing to repeat/],
  ["a{100000}", /counts up to 1000/],
  ["a{100000,}", /counts up to 1000/],
  // Go regexp/syntax onlyPOSIX: rejected in the Perl syntax RE2 and Go use
  ["a++", /possessive quantifier/],
  ["a**", /nested repetition/],
  ["a?*", /nested repetition/],
  ["a+*", /nested repetition/],
  ["a{1}*", /nested repetition/],
  [".{1}{2}.{3}", /nested repetition/],
  // RE2 syntax: NOT SUPPORTED
  ["(a)\\1", /backreference \(\\1\)/],
  ["(?<n>a)\\k<n>", /named backreference/],
  ["(?=v1).+", /lookahead/],
  ["(?!v1).+", /negative lookahead/],
  ["(?<=a)b", /lookbehind/],
  ["(?<!a)b", /negative lookbehind/],
  ["(?>a+)b", /atomic group/],
  ["a*+", /possessive quantifier/],
  ["v1\\Z", /\\Z/],
  ["\\Gab", /\\G/],
  ["(?#comment)a", /comment group/],
  ["(?(1)a|b)", /conditional group/],
  ["(?R)", /recursion/],
  ["\\u0041", /\\u/],
  ["(?x) a b", /flags x; RE2 knows i, m, s and U/],
  ["[[:alfa:]]", /class \[:alfa:\]/],
  ["\\y", /escape \\y/],
  ["(?P<a>x)(?P<a>y)", /names two groups a/],
  ["", /is empty/],
];

test.each(valid.map((r) => [r]))("RE2 accepts %s", (re) => expect(re2Problems(re)).toEqual([]));

test.each(invalid)("RE2 or istiod rejects %s", (re, why) => {
  const problems = re2Problems(re);
  expect(problems.length).toBeGreaterThan(0);
  expect(problems.join("; ")).toMatch(why);
});

test("istiod's length limit", () => {
  expect(re2Problems("a".repeat(ISTIO_MAX_REGEX_LENGTH))).toEqual([]);
  expect(re2Problems("a".repeat(ISTIO_MAX_REGEX_LENGTH + 1))).toEqual([
    `is ${ISTIO_MAX_REGEX_LENGTH + 1} characters long; istiod allows ${ISTIO_MAX_REGEX_LENGTH}`,
  ]);
});

test("what JavaScript accepts and RE2 does not is caught before a JavaScript compile could pass it", () => {
  for (const re of ["(a)\\1", "(?=x)", "v\\Z", "(?<=a)b"]) {
    expect(() => new RegExp(re)).not.toThrow();
    expect(re2Problems(re)).not.toEqual([]);
  }
});
