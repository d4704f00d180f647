// Files laid out in other ways than the example's: the edit follows each file's own layout.
import type { ModelCommand } from "../../compiler/edit/operations.js";
import { runEdit } from "../helpers/model-edit.js";

const HEAD = "apiVersion: berth.dev/v1alpha1\nkind: Model\nmetadata:\n  name: m\nspec:\n  framework: sklearn\n";
const FLOW = '    - {name: v1, artifact: "s3://bkt/1/", traffic: 90}\n    - {name: v2, artifact: "s3://bkt/2/", traffic: 10}\n';
const add: ModelCommand = { kind: "add-version", version: "v3", artifact: "s3://bkt/3/", traffic: 10 };
const canary: ModelCommand = {
  kind: "set-traffic",
  weights: [
    { version: "v1", weight: 50 },
    { version: "v2", weight: 50 },
  ],
  cluster: "c1",
};

const edit = (text: string, cmd: ModelCommand) => {
  const { result, printed } = runEdit({ path: "models/t/m.yaml", clusters: ["c1", "c2"] }, text, cmd);
  if (!result) throw new Error(printed.join("\n"));
  return result.text;
};

test.each([
  [
    "a flow list of versions",
    HEAD + '  versions: [{name: v1, artifact: "s3://bkt/1/", traffic: 90}, {name: v2, artifact: "s3://bkt/2/", traffic: 10}]\n',
    add,
    HEAD +
      '  versions: [{name: v1, artifact: "s3://bkt/1/", traffic: 81}, {name: v2, artifact: "s3://bkt/2/", traffic: 9}, {name: v3, artifact: "s3://bkt/3/", traffic: 10}]\n',
  ],
  [
    "no newline at the end of the file",
    HEAD + "  versions:\n" + FLOW.trimEnd(),
    add,
    HEAD + "  versions:\n" + FLOW.replace("90", "81").replace("10}", "9}") + '    - {name: v3, artifact: "s3://bkt/3/", traffic: 10}\n',
  ],
  [
    "an empty flow mapping of overrides",
    HEAD + "  versions:\n" + FLOW + "  overrides: {}\n",
    canary,
    HEAD + "  versions:\n" + FLOW + "  overrides: {c1: {versions: [{name: v1, traffic: 50}, {name: v2, traffic: 50}]}}\n",
  ],
  [
    "a cluster override in flow style",
    HEAD + "  versions:\n" + FLOW + "  overrides:\n    c1: {autoscaling: {minReplicas: 1}}\n",
    canary,
    HEAD + "  versions:\n" + FLOW + "  overrides:\n    c1: {autoscaling: {minReplicas: 1}, versions: [{name: v1, traffic: 50}, {name: v2, traffic: 50}]}\n",
  ],
  [
    "block items with dashes at the key's column, comments around them",
    HEAD +
      "  versions:\n  - name: v1\n    artifact: s3://bkt/1/\n    traffic: 90 # stable\n  - name: v2\n    artifact: s3://bkt/2/\n    traffic: 10\n  # end of versions\n  access: [a]\n",
    add,
    HEAD +
      "  versions:\n  - name: v1\n    artifact: s3://bkt/1/\n    traffic: 81 # stable\n  - name: v2\n    artifact: s3://bkt/2/\n    traffic: 9\n  - name: v3\n    artifact: s3://bkt/3/\n    traffic: 10\n  # end of versions\n  access: [a]\n",
  ],
  [
    "four-space indentation and `-   ` items",
    "apiVersion: berth.dev/v1alpha1\nkind: Model\nmetadata:\n    name: m\nspec:\n    framework: sklearn\n    versions:\n        -   name: v1\n            artifact: s3://bkt/1/\n            traffic: 90\n        -   name: v2\n            artifact: s3://bkt/2/\n            traffic: 10\n",
    canary,
    "apiVersion: berth.dev/v1alpha1\nkind: Model\nmetadata:\n    name: m\nspec:\n    framework: sklearn\n    versions:\n        -   name: v1\n            artifact: s3://bkt/1/\n            traffic: 90\n        -   name: v2\n            artifact: s3://bkt/2/\n            traffic: 10\n    overrides:\n        c1:\n            versions:\n                -   name: v1\n                    traffic: 50\n                -   name: v2\n                    traffic: 50\n",
  ],
  [
    "padded braces and single quotes",
    HEAD + "  versions:\n    - { name: 'v1', artifact: 's3://bkt/1/', traffic: 100 }\n",
    { kind: "add-version", version: "v2", artifact: "s3://bkt/it's/", traffic: 0 } as ModelCommand,
    HEAD + "  versions:\n    - { name: 'v1', artifact: 's3://bkt/1/', traffic: 100 }\n    - { name: 'v2', artifact: 's3://bkt/it''s/', traffic: 0 }\n",
  ],
])("%s", (_name, before, cmd, after) => {
  expect(edit(before, cmd)).toBe(after);
});

test("retire removes the version's entries from every override, and an override left empty", () => {
  const before =
    HEAD +
    '  versions:\n    - {name: v1, artifact: "s3://bkt/1/", traffic: 100}\n    - {name: v2, artifact: "s3://bkt/2/", traffic: 0}\n  overrides:\n    c1:\n      versions:\n        - {name: v2, traffic: 0}\n    c2:\n      autoscaling: {minReplicas: 1}\n      versions:\n        - {name: v2, image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/m:2}\n';
  expect(edit(before, { kind: "retire", version: "v2" })).toBe(
    HEAD + '  versions:\n    - {name: v1, artifact: "s3://bkt/1/", traffic: 100}\n  overrides:\n    c2:\n      autoscaling: {minReplicas: 1}\n',
  );
});
