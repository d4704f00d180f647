// The API server's name, label, port and env syntax, on the cases of kubernetes/apimachinery's own
// test tables (pkg/api/validate/content/dns_test.go, kube_test.go; pkg/util/validation/validation_test.go).
import { envVarNameProblems, isDns1035Label, isDns1123Label, isDns1123Subdomain, isEnvVarName, isLabelKey, isLabelValue, isPathSegmentName, isRelaxedEnvVarName, isValidPortName } from "../../compiler/verify/admission/names.js";

const table = (name: string, check: (v: string) => string[], good: string[], bad: string[]) =>
  describe(name, () => {
    test.each(good.map((v) => [JSON.stringify(v), v]))("accepts %s", (_s, v) => expect(check(v)).toEqual([]));
    test.each(bad.map((v) => [JSON.stringify(v), v]))("rejects %s", (_s, v) => expect(check(v).length).toBeGreaterThan(0));
  });

// TestIsDNS1123Label
table(
  "IsDNS1123Label",
  isDns1123Label,
  ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a".repeat(63)],
  ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b", "1 ", " 1", "1 2", "a".repeat(64)],
);

// TestIsDNS1123Subdomain
table(
  "IsDNS1123Subdomain",
  isDns1123Subdomain,
  ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a.a", "ab.a", "abc.a", "a1.a", "a-1.a", "a--1--2--b.a", "a.1", "ab.1", "abc.1", "a1.1", "a-1.1", "a--1--2--b.1", "0.a", "01.a", "012.a", "1a.a", "1-a.a", "0.1", "01.1", "012.1", "1a.1", "1-a.1", "1--a--b--2.1", "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55", "a".repeat(253)],
  ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a..b", "1.", ".1", "1..2", " ", "a ", " a", "a b", "1 ", " 1", "1 2", "A.a", "aB.a", "ab.A", "A1.a", "a1.A", "A.1", "aB.1", "A1.1", "1A.1", "0.A", "01.A", "012.A", "1A.a", "1a.A", "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee", "a@b", "a,b", "a;b", "a:b", "a%b", "a?b", "a$b", "a".repeat(254)],
);

// TestIsDNS1035Label
table(
  "IsDNS1035Label",
  isDns1035Label,
  ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "a".repeat(63)],
  ["0", "01", "012", "1a", "1-a", "1--a--b--2", "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b", "1 ", " 1", "1 2", "a".repeat(64)],
);

// TestIsLabelKey (kube_test.go)
table(
  "IsLabelKey",
  isLabelKey,
  ["simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple", "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple", "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo", "a".repeat(63), `${"a".repeat(253)}/${"b".repeat(63)}`],
  ["nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash", "Example.com/abc", "example_com/abc", "example.com/", "/simple", "a".repeat(64), `${"a".repeat(254)}/abc`],
);

// TestIsLabelValue (kube_test.go)
table(
  "IsLabelValue",
  isLabelValue,
  ["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "a".repeat(63), ""],
  ["nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad", "-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", "a".repeat(64)],
);

// TestIsValidPortName (validation_test.go): IANA_SVC_NAME
table("IsValidPortName", isValidPortName, ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3"], ["longerthan15characters", "", "a".repeat(16), "12345", "1-2-3-4", "-begin", "end-", "two--hyphens", "whois++"]);

// TestIsEnvVarName and TestIsRelaxedEnvVarName (validation_test.go)
table("IsEnvVarName", isEnvVarName, ["abc", "ABC", "AbC_123", "_123", "_", "-", "a-b", "my.env-name", "MY_ENV.NAME", "MyEnvName1"], ["1abc", "123", "?", "a?", "a b", ".", "..", "..abc"]);
table("IsRelaxedEnvVarName", isRelaxedEnvVarName, ["abc", "1abc", "a b", "?", "a?b", "_123"], ["", "a=b", "=", "a\tb", "é"]);

test("RBAC names are path segments", () => {
  expect(isPathSegmentName("edit-team-a")).toEqual([]);
  expect(isPathSegmentName("..")).toEqual(["may not be '..'"]);
  expect(isPathSegmentName("a/b")).toEqual(["may not contain '/'"]);
});

test("the env name rule follows the cluster's version: relaxed from 1.32, when the gate defaults on", () => {
  expect(envVarNameProblems("1BAD", 31)).not.toEqual([]);
  expect(envVarNameProblems("1BAD", 32)).toEqual([]);
  expect(envVarNameProblems("A=B", 35)).not.toEqual([]);
});
