// docs/json.md shows one envelope per command; each example is produced here, by running the
// command on the test repository, so the page cannot drift from what berth prints. A block is
// marked `<!-- example: NAME -->`; UPDATE_GOLDEN=1 rewrites the blocks from the runs.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { baseFiles, edit, MODEL, REPO_ROOT, SCHEMA_ARGS, tempRepo } from "../helpers/fixture.js";
import { berth, gitRepo } from "../helpers/git.js";

const DOC = join(REPO_ROOT, "docs/json.md");
const update = process.env.UPDATE_GOLDEN === "1";
/** Lists are cut to their first items on the page: a fleet's lists run to thousands. */
const SHOWN = 2;

const broken = () => edit(MODEL, "maxReplicas: 4", "maxReplica: 4");

/** Each example: the command run on a fresh copy of the test repository. */
const EXAMPLES: Record<string, () => Promise<{ root: string; stdout: string }>> = {
  render: async () => {
    const root = tempRepo(baseFiles());
    await berth(root, "render", ...SCHEMA_ARGS);
    writeFileSync(join(root, "models/team-a/fraud.yaml"), edit(MODEL, "traffic: 90", "traffic: 80").replace("traffic: 10", "traffic: 20"));
    return { root, ...(await berth(root, "render", ...SCHEMA_ARGS, "--format", "json")) };
  },
  "render failed": async () => {
    const root = tempRepo({ ...baseFiles(), "models/team-a/fraud.yaml": broken() });
    return { root, ...(await berth(root, "render", ...SCHEMA_ARGS, "--format", "json")) };
  },
  check: async () => {
    const root = tempRepo(baseFiles());
    await berth(root, "render", ...SCHEMA_ARGS);
    return { root, ...(await berth(root, "check", ...SCHEMA_ARGS, "--format", "json")) };
  },
  diff: async () => {
    const root = gitRepo(baseFiles());
    writeFileSync(join(root, "models/team-a/fraud.yaml"), edit(MODEL, "traffic: 90", "traffic: 80").replace("traffic: 10", "traffic: 20"));
    return { root, ...(await berth(root, "diff", "--base", "main", ...SCHEMA_ARGS, "--format", "json")) };
  },
  "diff failed": async () => {
    const root = gitRepo(baseFiles());
    return { root, ...(await berth(root, "diff", "--base", "nope", ...SCHEMA_ARGS, "--format", "json")) };
  },
  schema: async () => {
    const root = tempRepo(baseFiles());
    return { root, ...(await berth(root, "schema", "--format", "json")) };
  },
  model: async () => {
    const root = tempRepo(baseFiles());
    return { root, ...(await berth(root, "model", "promote", "fraud", "v1.1.0", "--step", "10", "--dry-run", ...SCHEMA_ARGS, "--format", "json")) };
  },
  report: async () => {
    const root = tempRepo(baseFiles());
    return { root, ...(await berth(root, "report", ...SCHEMA_ARGS, "--format", "json")) };
  },
  explain: async () => {
    const root = tempRepo(baseFiles());
    return { root, ...(await berth(root, "explain", "BERTH0503", "--format", "json")) };
  },
};

/** What the page shows of an envelope: lists cut to SHOWN items, the temporary root as /repo. */
function shown(value: unknown, root: string): unknown {
  if (Array.isArray(value)) return value.slice(0, SHOWN).map((v) => shown(v, root));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shown(v, root)]));
  return typeof value === "string" ? value.split(root).join("/repo") : value;
}

const BLOCK = /<!-- example: ([^>]+?) -->\n```json\n([\s\S]*?)\n```/g;

function blocks(doc: string): Map<string, string> {
  return new Map([...doc.matchAll(BLOCK)].map((m) => [m[1]!, m[2]!]));
}

test("docs/json.md has one example block for each example run here, and no other", () => {
  expect([...blocks(readFileSync(DOC, "utf8")).keys()].sort()).toEqual(Object.keys(EXAMPLES).sort());
});

test.each(Object.keys(EXAMPLES))("docs/json.md: the %s example is what berth prints", async (name) => {
  const { root, stdout } = await EXAMPLES[name]!();
  const text = JSON.stringify(shown(JSON.parse(stdout), root), null, 2);
  if (update) {
    const doc = readFileSync(DOC, "utf8");
    writeFileSync(
      DOC,
      doc.replace(BLOCK, (all, n: string) => (n === name ? `<!-- example: ${n} -->\n\`\`\`json\n${text}\n\`\`\`` : all)),
    );
  }
  expect(blocks(readFileSync(DOC, "utf8")).get(name)).toBe(text);
});
