// `check --format sarif` is a SARIF 2.1.0 log that code scanning accepts. The schema below restates
// the parts of the OASIS SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that berth's log uses, with
// their required properties, enums, minimums and closed objects, so a drift fails here.
import { Ajv } from "ajv";
import { formatDiagnostics, type LocatedDiagnostic } from "../../compiler/diagnostics.js";
import { baseFiles, edit, MODEL, tempRepo } from "../helpers/fixture.js";
import { berth } from "../helpers/git.js";

const message = {
  type: "object",
  additionalProperties: false,
  properties: { text: { type: "string" }, markdown: { type: "string" }, id: { type: "string" } },
  anyOf: [{ required: ["text"] }, { required: ["id"] }],
};
const multiformat = { type: "object", additionalProperties: false, required: ["text"], properties: { text: { type: "string" }, markdown: { type: "string" } } };
const level = { enum: ["none", "note", "warning", "error"] };

const SARIF_2_1_0_SUBSET = {
  type: "object",
  additionalProperties: false,
  required: ["version", "runs"],
  properties: {
    $schema: { type: "string" },
    version: { enum: ["2.1.0"] },
    runs: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["tool"],
        properties: {
          tool: {
            type: "object",
            additionalProperties: false,
            required: ["driver"],
            properties: {
              driver: {
                type: "object",
                additionalProperties: false,
                required: ["name"],
                properties: {
                  name: { type: "string" },
                  version: { type: "string" },
                  informationUri: { type: "string", pattern: "^https?://" },
                  rules: {
                    type: "array",
                    uniqueItems: true,
                    items: {
                      type: "object",
                      additionalProperties: false,
                      required: ["id"],
                      properties: {
                        id: { type: "string" },
                        shortDescription: multiformat,
                        fullDescription: multiformat,
                        helpUri: { type: "string" },
                        defaultConfiguration: { type: "object", additionalProperties: false, properties: { enabled: { type: "boolean" }, level } },
                      },
                    },
                  },
                },
              },
            },
          },
          results: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["message"],
              properties: {
                ruleId: { type: "string" },
                ruleIndex: { type: "integer", minimum: -1 },
                level,
                message,
                locations: {
                  type: "array",
                  items: {
                    type: "object",
                    additionalProperties: false,
                    properties: {
                      physicalLocation: {
                        type: "object",
                        additionalProperties: false,
                        anyOf: [{ required: ["address"] }, { required: ["artifactLocation"] }],
                        properties: {
                          artifactLocation: {
                            type: "object",
                            additionalProperties: false,
                            properties: { uri: { type: "string" }, uriBaseId: { type: "string" }, index: { type: "integer", minimum: -1 } },
                          },
                          region: {
                            type: "object",
                            additionalProperties: false,
                            properties: {
                              startLine: { type: "integer", minimum: 1 },
                              startColumn: { type: "integer", minimum: 1 },
                              endLine: { type: "integer", minimum: 1 },
                              endColumn: { type: "integer", minimum: 1 },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const validate = new Ajv({ allErrors: true, strict: false }).compile(SARIF_2_1_0_SUBSET);

function expectSarif(log: unknown): void {
  const ok = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

describe("SARIF output", () => {
  const diags: LocatedDiagnostic[] = [
    {
      file: "models/a/b.yaml",
      line: 14,
      column: 7,
      severity: "error",
      code: "BERTH0203",
      message: "autoscaling.minReplicas (5) is greater than maxReplicas (3)",
      hint: "lower minReplicas",
    },
    { file: "models/a/b.yaml", line: 9, column: 28, severity: "warning", code: "BERTH0209", message: 'memory "512m" means 0.512 bytes' },
    { file: "models/a/c.yaml", line: 3, column: 1, severity: "error", code: "BERTH0203", message: "again" },
  ];

  test("is a SARIF 2.1.0 log: rules once each, results pointing at them and at the spec line", () => {
    const log = JSON.parse(formatDiagnostics(diags, "sarif"));
    expectSarif(log);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(["BERTH0203", "BERTH0209"]);
    expect(run.results.map((r: { ruleIndex: number; ruleId: string }) => run.tool.driver.rules[r.ruleIndex].id === r.ruleId)).toEqual([true, true, true]);
    expect(run.results[0]).toEqual({
      ruleId: "BERTH0203",
      ruleIndex: 0,
      level: "error",
      message: { text: "autoscaling.minReplicas (5) is greater than maxReplicas (3) (hint: lower minReplicas)" },
      locations: [{ physicalLocation: { artifactLocation: { uri: "models/a/b.yaml" }, region: { startLine: 14, startColumn: 7 } } }],
    });
    expect(run.results[1].level).toBe("warning");
  });

  test("the schema has teeth: a wrong level, a zero line or an unknown field fail", () => {
    const log = JSON.parse(formatDiagnostics(diags, "sarif"));
    for (const breakIt of [
      (l: any) => (l.runs[0].results[0].level = "fatal"),
      (l: any) => (l.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0),
      (l: any) => (l.runs[0].results[0].severity = "error"),
      (l: any) => delete l.runs[0].results[0].message,
    ]) {
      const copy = structuredClone(log);
      breakIt(copy);
      expect(validate(copy)).toBe(false);
    }
  });

  test("an empty run is still a valid log", () => {
    expectSarif(JSON.parse(formatDiagnostics([], "sarif")));
  });

  test("berth check --format sarif on a broken repository", async () => {
    const dir = tempRepo({ ...baseFiles(), "models/team-a/fraud.yaml": edit(MODEL, "maxReplicas: 4", "maxReplicas: 1") });
    const r = await berth(dir, "check", "--format", "sarif");
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expectSarif(log);
    expect(log.runs[0].results).toContainEqual(expect.objectContaining({ ruleId: "BERTH0203", level: "error" }));
  });
});
