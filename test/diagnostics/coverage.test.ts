// Every code in the catalogue is triggered by a table row, and this test runs that row.
//
// The rows are the table tests themselves (`runTable`, and the `test.each`/`describe.each` tables
// of hand-broken objects and command lines): their files are loaded here with jest's functions
// swapped for recorders, so each row becomes data. For every code, a row whose data names it is
// run again, its own assertions included, while every `Diagnostics.report` is watched: the code
// must be reported during the run. Codes that only the disk, git or a child process produce are
// listed in ELSEWHERE with the test that triggers them; that test must exist and name the code
// inside an `expect(...)` (a comment or a stray string does not count).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { CATALOGUE, type Code } from "../../compiler/codes/index.js";
import { Diagnostics } from "../../compiler/diagnostics.js";

type Fn = (...args: unknown[]) => unknown;

/**
 * Codes that no table row names, and the test that triggers each: the disk, git, child processes,
 * commands, and single tests of one verifier. A test in a file loaded here is run here too (the code
 * must be reported while it runs, or, for the write stage's own located diagnostics, asserted);
 * a test in a file that is not loaded (e2e) must name the code inside an `expect(...)`.
 */
const ELSEWHERE: Partial<Record<Code, { file: string; test: string }>> = {
  BERTH1425: {
    file: "test/workloads/growth-and-diff.test.ts",
    test: "against a previous render: smaller is an error at storage.size naming Kubernetes' rule; equal or larger is not",
  },
  BERTH1604: { file: "test/observability/verify.test.ts", test: "BERTH1604: %s" },
  BERTH1605: {
    file: "test/observability/verify.test.ts",
    test: "a batch pod (no sidecar) is not the meshed monitor's: without the batch monitor it is uncovered",
  },
  BERTH0001: { file: "test/diagnostics/guards.test.ts", test: "BERTH0001: a file that cannot be read" },
  BERTH0003: { file: "test/e2e/cli.test.ts", test: "symbolic links that leave the root are errors, links inside it are followed" },
  BERTH0006: { file: "test/e2e/cli.test.ts", test: "hand-written files are never touched: left alone elsewhere, an error where berth must write" },
  BERTH0007: { file: "test/e2e/cli.test.ts", test: "editing a model spec without rendering fails check" },
  BERTH0008: { file: "test/e2e/cli.test.ts", test: "a missing generated file fails check" },
  BERTH0009: { file: "test/e2e/cli.test.ts", test: "a deleted model's files are removed by render and reported stale by check" },
  BERTH0010: { file: "test/e2e/cli.test.ts", test: "hand-written files are never touched: left alone elsewhere, an error where berth must write" },
  BERTH0011: { file: "test/e2e/schema-locations.test.ts", test: "BERTH0011: a missing folder is one error; an empty one too" },
  BERTH0012: { file: "test/e2e/cli.test.ts", test: "--cluster renders only the named cluster; an unknown one is an error" },
  BERTH0013: { file: "test/e2e/cli.test.ts", test: "hand-written files are never touched: left alone elsewhere, an error where berth must write" },
  BERTH0014: { file: "test/unit/load-safety.test.ts", test: "unreadable models/<tenant>/ (stubbed EACCES, runs as any user): BERTH0014 with the OS reason" },
  BERTH0015: { file: "test/unit/load-safety.test.ts", test: "a socket is BERTH0015, never opened" },
  BERTH0016: { file: "test/e2e/load-git.test.ts", test: "two `-> .` links committed: reported in the base as in the work tree, quickly and once each" },
  BERTH0017: { file: "test/unit/load-safety.test.ts", test: ".YAML and other case variants are reported with a rename hint; .yml is read" },
  BERTH0020: { file: "test/unit/write-paths.test.ts", test: ".github/ as a link, and a link where a file goes" },
  BERTH0021: {
    file: "test/unit/write-paths.test.ts",
    test: "a folder where a file goes (EISDIR) and a file where a folder goes are found before anything is written",
  },
  BERTH0022: { file: "test/unit/write-transaction.test.ts", test: "a rollback that fails too keeps the journal; the next render finishes the rollback first" },
  BERTH0023: {
    file: "test/unit/write-lock.test.ts",
    test: "a lock of another host is never judged stale from here; a file that is no berth lock is not removed",
  },
  BERTH0024: {
    file: "test/unit/write-transaction.test.ts",
    test: "cleaning up after commit may fail: the render stands, a warning names the leftover, the next render removes it",
  },
  BERTH0025: { file: "test/unit/write-transaction.test.ts", test: "a failure while reading the tree is an error naming the path, and nothing changes" },
  BERTH0040: { file: "test/e2e/cli.test.ts", test: "a folder lacking one kind is one warning for that kind; the render goes on" },
  BERTH0041: { file: "test/e2e/schema-locations.test.ts", test: "BERTH0041: an HTTP 500 is one error naming the URL and the status, and nothing is written" },
  BERTH0042: { file: "test/e2e/render-safety.test.ts", test: "a schema file that is not JSON is an error naming the file and the place, not a crash" },
  BERTH0043: { file: "test/e2e/schema-locations.test.ts", test: "BERTH0043: plain http beyond this machine, an unknown variable, another scheme" },
  BERTH0402: { file: "test/diagnostics/guards.test.ts", test: "BERTH0402: an object the kubernetes-models validator rejects points at its spec" },
  BERTH0403: { file: "test/diagnostics/guards.test.ts", test: "BERTH0403: an unknown field fails the strict schema" },
  BERTH0404: { file: "test/e2e/never-drop.test.ts", test: "two models that render one Deployment fail the render, naming both spec files" },
  BERTH0405: { file: "test/unit/every-spec.test.ts", test: "an object set that lost a model's objects is reported at the model" },
  BERTH0704: { file: "test/unit/traffic.test.ts", test: "BERTH0704: a subset the DestinationRule does not define" },
  BERTH0801: { file: "test/unit/gitops.test.ts", test: "BERTH0801: an object of a kind its project does not admit" },
  BERTH0802: { file: "test/unit/gitops.test.ts", test: "BERTH0802: an object in a folder no Application syncs, and eksctl/ synced by an Application" },
  BERTH0803: { file: "test/unit/gitops.test.ts", test: "BERTH0803: a tenant project with a wildcard namespace" },
  BERTH0810: { file: "test/e2e/diff-git.test.ts", test: "BERTH0810: a revision that does not exist" },
  BERTH0811: { file: "test/e2e/diff-git.test.ts", test: "BERTH0811: not a git repository" },
  BERTH1001: { file: "test/admission/eks.test.ts", test: "BERTH1001: 1.28, past the end of extended support on 2025-11-26" },
  BERTH1002: { file: "test/admission/eks.test.ts", test: "BERTH1002: 1.33 in extended support is a warning with both dates, and render still writes" },
  BERTH1020: { file: "test/admission/istio.test.ts", test: "istio: jwt claim route without gateway (gateways: [mesh]) is BERTH1020" },
  BERTH1021: { file: "test/admission/istio.test.ts", test: "a root route that delegates to a VirtualService with hosts is dropped by istiod (BERTH1021)" },
  BERTH1022: { file: "test/admission/istio.test.ts", test: "BERTH1022: a route regex RE2 cannot compile" },
  BERTH1023: { file: "test/admission/istio.test.ts", test: "BERTH1023: a header name with a space, an empty prefix, a response header that sets Host" },
  BERTH1024: { file: "test/admission/istio.test.ts", test: "BERTH1024: no action, a negative weight, a status out of range, an unknown retryOn" },
  BERTH1025: {
    file: "test/admission/istio.test.ts",
    test: "istio: duplicate subset names, an invalid subset name, an invalid label value (TestValidateDestinationRule)",
  },
  BERTH1026: { file: "test/unit/traffic.test.ts", test: "BERTH1026: a route name used in two VirtualServices of one host" },
  BERTH1028: { file: "test/admission/istio.test.ts", test: "BERTH1028 is one finding per gateway, however many models route on the claim" },
  BERTH1029: { file: "test/admission/istio.test.ts", test: "istio: AuthorizationPolicy rules (TestValidateAuthorizationPolicy)" },
  BERTH1030: { file: "test/admission/istio.test.ts", test: "istio: RequestAuthentication jwtRules (TestValidateRequestAuthentication)" },
  BERTH1031: { file: "test/unit/traffic.test.ts", test: "BERTH1031: a second VirtualService claiming a model-id names both spec files" },
  BERTH1040: { file: "test/admission/argocd.test.ts", test: "BERTH1040: sync wave %j is not an integer (gitops-engine syncwaves.Wave would use 0)" },
  BERTH1041: { file: "test/admission/argocd.test.ts", test: "BERTH1041: an unknown option in an object's annotation and in an Application's sync policy" },
  BERTH1051: { file: "test/admission/autoscaling.test.ts", test: "a ContainerResource metric on a container the pods do not run (BERTH1051)" },
  BERTH1206: {
    file: "test/unit/platform-layer.test.ts",
    test: "BERTH1206 istiod moved after berth-platform: its Istio objects and the gateway chart are named",
  },
  BERTH1301: { file: "test/e2e/report-cli.test.ts", test: "BERTH1301: a folder that cannot be written leaves no page and no temp file" },
};

/** Table files not loaded here: their rows spawn processes or need a git repository. */
const NOT_LOADED = ["test/e2e/", "test/edit/", "test/property/", "test/diagnostics/coverage.test.ts"];

interface Row {
  file: string;
  /** The title as written (`%s` left in for a `test.each` row). */
  title: string;
  run: () => Promise<unknown>;
  codes: Set<string>;
}

const ROOT = resolve(process.cwd());

const TEST_FUNCTIONS = new Set(["test", "it", "strictTest"]);

/** The identifier a call chain starts from: `expect` for `expect(x).not.toEqual(y)`. */
function chainRoot(node: ts.Expression): string | undefined {
  while (ts.isCallExpression(node) || ts.isPropertyAccessExpression(node)) node = node.expression;
  return ts.isIdentifier(node) ? node.text : undefined;
}

/** The title of a test call (`test("t", fn)`, `test.each(rows)("t", fn)`), or undefined for any other call. */
function testTitle(call: ts.CallExpression): string | undefined {
  const callee = ts.isCallExpression(call.expression) ? call.expression.expression : call.expression;
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)
      ? callee.expression.text
      : undefined;
  const first = call.arguments[0];
  if (!name || !TEST_FUNCTIONS.has(name) || !first) return undefined;
  return ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)
    ? first.text
    : ts.isTemplateExpression(first)
      ? first.getText().slice(1, -1)
      : undefined;
}

/** Titles of the tests in `file` that name `code` in a literal inside an `expect(...)` chain. */
function assertingTests(file: string, code: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  const titles = new Set<string>();
  const visit = (node: ts.Node, title: string | undefined, inExpect: boolean): void => {
    if (ts.isCallExpression(node)) {
      title ??= testTitle(node);
      inExpect ||= chainRoot(node.expression) === "expect";
    }
    const literal =
      ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isRegularExpressionLiteral(node) || ts.isTemplateLiteralToken(node);
    if (title !== undefined && inExpect && literal && node.text.includes(code)) titles.add(title);
    ts.forEachChild(node, (child) => visit(child, title, inExpect));
  };
  visit(source, undefined, false);
  return [...titles];
}

function codesIn(value: unknown, found = new Set<string>(), depth = 0): Set<string> {
  if (typeof value === "string") {
    if (/^BERTH\d{4}$/.test(value)) found.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) codesIn(v, found, depth + 1);
  } else if (value !== null && typeof value === "object" && !Buffer.isBuffer(value) && depth < 6) {
    for (const v of Object.values(value)) codesIn(v, found, depth + 1);
  }
  return found;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) return name === "cases" ? [] : testFiles(abs);
    return abs.endsWith(".test.ts") ? [abs] : [];
  });
}

/** Collects the rows of table tests by loading their files with recording test functions. */
async function harvest(): Promise<{ rows: Row[]; tests: Row[]; skips: Set<string>; teardown: Fn[] }> {
  const skips = new Set<string>();
  const rows: Row[] = [];
  const tests: Row[] = [];
  const setup: Fn[] = [];
  const teardown: Fn[] = [];
  let file = "";
  // Hooks and tests inside a describe.each row belong to that row.
  let scope: { before: Fn[]; tests: Fn[]; after: Fn[] } | undefined;
  const noop = (): void => undefined;
  // Skipped tests (strictTest without ../shared/schemas) are remembered by title, never run.
  const skipped = Object.assign((title: string) => void skips.add(`${file} › ${title}`), { each: () => noop });
  const eachTest = (table: readonly unknown[]) => (title: string, fn: Fn) => {
    for (const entry of table) {
      const args = Array.isArray(entry) ? entry : [entry];
      rows.push({ file, title, run: async () => fn(...args), codes: codesIn(args) });
    }
  };
  const record = (title: string, fn: Fn): unknown => (scope ? scope.tests.push(fn) : tests.push({ file, title, run: async () => fn(), codes: new Set() }));
  const test = Object.assign(record, { each: eachTest, skip: skipped, only: skipped, todo: noop, concurrent: skipped, failing: skipped });
  const eachDescribe = (table: readonly unknown[]) => (title: string, fn: Fn) => {
    for (const entry of table) {
      const args = Array.isArray(entry) ? entry : [entry];
      const own = { before: [] as Fn[], tests: [] as Fn[], after: [] as Fn[] };
      const outer = scope;
      scope = own;
      fn(...args);
      scope = outer;
      const run = async (): Promise<void> => {
        try {
          for (const f of own.before) await f();
          for (const f of own.tests) await f();
        } finally {
          for (const f of own.after) await f();
        }
      };
      rows.push({ file, title, run, codes: codesIn(args) });
    }
  };
  const describe = Object.assign((_title: string, fn: Fn) => fn(), { each: eachDescribe, skip: skipped, only: skipped });
  const hooks = {
    beforeAll: (fn: Fn) => (scope ? scope.before : setup).push(fn),
    beforeEach: (fn: Fn) => (scope ? scope.before : setup).push(fn),
    afterAll: (fn: Fn) => (scope ? scope.after : teardown).push(fn),
    afterEach: (fn: Fn) => (scope ? scope.after : teardown).push(fn),
  };
  const g = globalThis as Record<string, unknown>;
  const recorders: Record<string, unknown> = { test, it: test, describe, ...hooks };
  const saved = Object.fromEntries(Object.keys(recorders).map((k) => [k, g[k]]));
  Object.assign(g, recorders);
  try {
    for (const abs of testFiles(join(ROOT, "test"))) {
      file = relative(ROOT, abs);
      if (NOT_LOADED.some((p) => file.startsWith(p))) continue;
      const text = readFileSync(abs, "utf8");
      const named = Object.values(ELSEWHERE).some((w) => w.file === file);
      if (!named && !/\b(runTable|test\.each|it\.each|describe\.each)\(/.test(text)) continue;
      await import(pathToFileURL(abs).href);
    }
    for (const f of setup) await f();
  } finally {
    Object.assign(g, saved);
  }
  return { rows, tests, skips, teardown };
}

/** The codes reported through any collector while `row` runs (it throws if its own assertions fail). */
async function reportedBy(row: Row): Promise<Set<string>> {
  const seen = new Set<string>();
  const original = Diagnostics.prototype.report;
  Diagnostics.prototype.report = function (this: Diagnostics, code, at, message, hint) {
    seen.add(code);
    return original.call(this, code, at, message, hint);
  };
  try {
    await row.run();
  } finally {
    Diagnostics.prototype.report = original;
  }
  return seen;
}

const { rows, tests, skips, teardown } = await harvest();
afterAll(async () => {
  for (const f of teardown) await f();
});

const ALL = Object.keys(CATALOGUE) as Code[];
// A code with a named test is held to that test, even where a row names it too (e.g. the docs' replayed examples).
const inRows = ALL.filter((code) => !ELSEWHERE[code] && rows.some((r) => r.codes.has(code)));
const runs = new Map<Row, Promise<Set<string>>>();

test("every code in the catalogue has a table row or a named test that triggers it", () => {
  expect(ALL.filter((code) => !inRows.includes(code) && !ELSEWHERE[code])).toEqual([]);
});

test.each(inRows)("%s: a table row triggers it", async (code) => {
  const candidates = rows.filter((r) => r.codes.has(code));
  for (const row of candidates.slice(0, 3)) {
    if (!runs.has(row)) runs.set(row, reportedBy(row));
    if ((await runs.get(row)!).has(code)) return;
  }
  throw new Error(`no row that names ${code} reports it: ${candidates.map((r) => `${r.file} › ${r.title}`).join("; ")}`);
});

test.each(Object.entries(ELSEWHERE).map(([code, w]) => [code, w.file, w.test] as const))("%s is triggered by %s › %s", async (code, file, title) => {
  expect(existsSync(join(ROOT, file))).toBe(true);
  const asserted = assertingTests(file, code).includes(title);
  const loaded = [...tests, ...rows].find((t) => t.file === file && t.title === title);
  if (!loaded) {
    // A loaded file's test must be found by its title, unless it is skipped on this machine.
    expect(NOT_LOADED.some((p) => file.startsWith(p)) || skips.has(`${file} › ${title}`)).toBe(true);
    expect(asserted).toBe(true);
    return;
  }
  if (!(await reportedBy(loaded)).has(code)) expect(asserted).toBe(true);
});
