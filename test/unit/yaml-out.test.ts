import fc from "fast-check";
import { parse } from "yaml";
import { toYaml } from "../../compiler/output/yaml.js";

/** JSON round-trip: turns -0 into 0 and drops undefined, like our serializer. */
const normalize = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

function expectRoundTrip(v: unknown): void {
  const text = toYaml(v);
  const expected = normalize(v);
  expect(parse(text)).toStrictEqual(expected);
  expect(parse(text, { version: "1.1" })).toStrictEqual(expected);
}

describe("toYaml: layout", () => {
  test("Deployment-like object", () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "model-a", labels: { app: "model-a", version: "1.30" }, annotations: undefined },
      spec: {
        replicas: 2,
        paused: false,
        template: {
          spec: {
            containers: [
              {
                name: "model",
                image: "registry.example.com/model:1.2.3",
                args: ["--port=8080", "serve"],
                ports: [{ containerPort: 8080, protocol: "TCP" }],
                resources: { limits: { memory: "10Gi", cpu: "500m" } },
                env: [],
              },
            ],
            nodeSelector: {},
            tolerations: null,
          },
        },
      },
    };
    expect(toYaml(deployment)).toBe(
      [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: model-a",
        "  labels:",
        "    app: model-a",
        '    version: "1.30"',
        "spec:",
        "  replicas: 2",
        "  paused: false",
        "  template:",
        "    spec:",
        "      containers:",
        "      - name: model",
        "        image: registry.example.com/model:1.2.3",
        "        args:",
        '        - "--port=8080"',
        "        - serve",
        "        ports:",
        "        - containerPort: 8080",
        "          protocol: TCP",
        "        resources:",
        "          limits:",
        "            memory: 10Gi",
        "            cpu: 500m",
        "        env: []",
        "      nodeSelector: {}",
        "      tolerations: null",
        "",
      ].join("\n"),
    );
    expectRoundTrip(deployment);
  });

  test("empty containers and empty documents", () => {
    expect(toYaml({ spec: { containers: [] } })).toBe("spec:\n  containers: []\n");
    expect(toYaml({})).toBe("{}\n");
    expect(toYaml([])).toBe("[]\n");
    expect(toYaml({ a: undefined })).toBe("{}\n");
    expect(toYaml("x")).toBe("x\n");
    expect(toYaml(null)).toBe("null\n");
  });

  test("nested arrays of arrays", () => {
    const v = [[1, 2], [], [[3]], [{ a: 1, b: [true] }], { k: [[{}]] }];
    expect(toYaml(v)).toBe(["- - 1", "  - 2", "- []", "- - - 3", "- - a: 1", "    b:", "    - true", "- k:", "  - - {}", ""].join("\n"));
    expectRoundTrip(v);
  });

  test("undefined is skipped in objects and null in arrays; toJSON is honoured", () => {
    expect(toYaml({ a: 1, b: undefined, c: [undefined] })).toBe("a: 1\nc:\n- null\n");
    const withToJSON = { toJSON: () => ({ kind: "Service" }) };
    expect(toYaml({ items: [withToJSON] })).toBe("items:\n- kind: Service\n");
  });

  test("numbers", () => {
    expect(toYaml([0, -0, 1, -7, 1.5, 1e21, 1e-7, 2.5e-8, 123456789012345680000])).toBe(
      "- 0\n- 0\n- 1\n- -7\n- 1.5\n- 1.0e+21\n- 1.0e-7\n- 2.5e-8\n- 123456789012345680000\n",
    );
    expectRoundTrip([1e21, 1e-7, 2.5e-8, -1e300, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE]);
    expect(() => toYaml({ a: NaN })).toThrow(Error);
    expect(() => toYaml([Infinity])).toThrow(Error);
    expect(() => toYaml(-Infinity)).toThrow(Error);
  });

  test("unsupported values throw", () => {
    expect(() => toYaml(undefined)).toThrow(TypeError);
    expect(() => toYaml({ f: () => 1 })).toThrow(TypeError);
    expect(() => toYaml([BigInt(1)])).toThrow(TypeError);
  });

  test("keys longer than the implicit-key limit use explicit entries", () => {
    const long = "k".repeat(1500);
    const v = { [long]: { a: 1, b: [1, 2] }, short: [{ [long + "é"]: [1] }], [long + "x"]: "v" };
    const text = toYaml(v);
    expect(text.startsWith(`? ${long}\n: a: 1\n  b:\n  - 1\n  - 2\nshort:\n- ? "${long}é"\n  : - 1\n? ${long}x\n: v\n`)).toBe(true);
    expectRoundTrip(v);
  });
});

describe("toYaml: string quoting", () => {
  const cases: Array<[string, string]> = [
    ["yes", '"yes"'],
    ["No", '"No"'],
    ["on", '"on"'],
    ["OFF", '"OFF"'],
    ["y", '"y"'],
    ["N", '"N"'],
    ["True", '"True"'],
    ["null", '"null"'],
    ["NULL", '"NULL"'],
    ["~", '"~"'],
    ["", '""'],
    ["1.30", '"1.30"'],
    ["8080", '"8080"'],
    ["0755", '"0755"'],
    ["1e3", '"1e3"'],
    ["0x1F", '"0x1F"'],
    ["0o7", '"0o7"'],
    ["0b101", '"0b101"'],
    [".5", '".5"'],
    ["1_000", '"1_000"'],
    [".inf", '".inf"'],
    [".NaN", '".NaN"'],
    ["-.inf", '"-.inf"'],
    ["E8", '"E8"'],
    ["e-5", '"e-5"'],
    ["2024-01-01", '"2024-01-01"'],
    ["2001-12-14t21:59:43.10-05:00", '"2001-12-14t21:59:43.10-05:00"'],
    ["2001-12-14 21:59:43.10 -5", '"2001-12-14 21:59:43.10 -5"'],
    ["1:20", '"1:20"'],
    ["a: b", '"a: b"'],
    ["a #b", '"a #b"'],
    ["#x", '"#x"'],
    ["- x", '"- x"'],
    ["-x", '"-x"'],
    ["<<", '"<<"'],
    ["---", '"---"'],
    ["...", '"..."'],
    ["... x", '"... x"'],
    ["&a", '"&a"'],
    ["*a", '"*a"'],
    ["!tag", '"!tag"'],
    ["|", '"|"'],
    [">", '">"'],
    ["%x", '"%x"'],
    ["@x", '"@x"'],
    ["`x", '"`x"'],
    ["'x'", "\"'x'\""],
    ['"x"', '"\\"x\\""'],
    ["a,b", '"a,b"'],
    ["a[0]", '"a[0]"'],
    ["{x}", '"{x}"'],
    [" lead", '" lead"'],
    ["trail ", '"trail "'],
    ["key:", '"key:"'],
    ["x\ny", '"x\\ny"'],
    ["tab\there", '"tab\\there"'],
    ["é", '"é"'],
    ["line\u2028sep", '"line\\u2028sep"'],
    ["nel\u0085", '"nel\\u0085"'],
    ["del\u007f", '"del\\u007f"'],
    ["bom\ufeff", '"bom\\ufeff"'],
    ["lone\ud800", '"lone\\ud800"'],
    ["emoji😀", '"emoji😀"'],
  ];
  test.each(cases)("%j is written as %s", (input, expected) => {
    expect(toYaml({ v: input })).toBe(`v: ${expected}\n`);
    expect(toYaml({ [input]: 1 })).toBe(`${expected}: 1\n`);
    expectRoundTrip({ v: input, [input]: [input] });
  });

  const plain = [
    "model",
    "apps/v1",
    "registry.example.com/model:1.2.3",
    "10Gi",
    "500m",
    "./config",
    "_x",
    "a b c",
    "http://example.com/a?b=c",
    "Yesterday",
    "nullable",
    "ONE",
    "x-y_z.w",
    "$(POD_NAME)",
    "e5x",
    "Env",
  ];
  test.each(plain)("%j is written plain", (input) => {
    expect(toYaml({ v: input })).toBe(`v: ${input}\n`);
    expectRoundTrip({ v: input, [input]: input });
  });
});

describe("toYaml: round-trip properties", () => {
  // fc.jsonValue only produces finite numbers (and -0, which JSON-normalizes to 0).
  test("arbitrary JSON (ASCII strings) parses back identically with YAML 1.2 and 1.1", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => expectRoundTrip(v)),
      { numRuns: 500 },
    );
  });

  test("arbitrary JSON (any code units, incl. lone surrogates) parses back identically", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (v) => expectRoundTrip(v)),
      { numRuns: 500 },
    );
  });

  test("strings assembled from YAML-sensitive fragments parse back identically", () => {
    const fragments = [
      "a",
      "Y",
      "n",
      "yes",
      "No",
      "on",
      "OFF",
      "true",
      "null",
      "~",
      "0",
      "1",
      "7",
      "8",
      "0x",
      "0o",
      "0b",
      "e",
      "E",
      "e5",
      "E+3",
      "_",
      ".",
      "..",
      "inf",
      "nan",
      "NaN",
      "+",
      "-",
      ":",
      ": ",
      " ",
      "  ",
      "#",
      " #",
      "t",
      "T",
      "z",
      "Z",
      "/",
      "@",
      "=",
      "<<",
      "?",
      "!",
      "&",
      "*",
      "%",
      "|",
      ">",
      "'",
      '"',
      "`",
      ",",
      "[",
      "]",
      "{",
      "}",
      "\\",
      "\n",
      "\r",
      "\t",
      "\u0000",
      "\u0085",
      "\u2028",
      "\u2029",
      "\ufeff",
      "é",
      "😀",
      "2024-01-01",
      "12:30",
      "---",
      "...",
    ];
    const tricky = fc.array(fc.constantFrom(...fragments), { maxLength: 6 }).map((parts) => parts.join(""));
    const doc = fc.dictionary(tricky, fc.oneof(tricky, fc.array(tricky, { maxLength: 3 })), { maxKeys: 5 });
    fc.assert(
      fc.property(doc, (v) => expectRoundTrip(v)),
      { numRuns: 500 },
    );
  });
});

describe("toYaml: volume", () => {
  test("serializes 20k small objects", () => {
    const items = Array.from({ length: 20000 }, (_, i) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `cm-${i}`, labels: { index: String(i) } },
      data: { key: `value ${i}`, list: [i, i + 0.5] },
    }));
    const text = items.map(toYaml).join("---\n");
    expect(text.split("\n").length).toBeGreaterThan(20000 * 8);
    expect(text).toContain('  name: cm-19999\n  labels:\n    index: "19999"\n');
  });
});
