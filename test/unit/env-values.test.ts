// Env values reach the container exactly as written (issue 22, finding 7): YAML would read 0755 as
// 755 and a 20-digit number as a rounded float. And values shaped like credentials are recognised.
import { credentialKind, entropy } from "../../compiler/schema/credentials.js";
import { compileFiles, edit, MODEL } from "../helpers/fixture.js";

type EnvVar = { name: string; value: string };

function renderedEnv(model: string, cluster = "prod"): Record<string, string> {
  const result = compileFiles({ "models/team-a/fraud.yaml": model });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const deployment = result.objects.find((o) => o.owner.cluster === cluster && o.object.kind === "Deployment" && o.object.metadata.name === "fraud-v1-1-0")!;
  const spec = deployment.object.spec as { template: { spec: { containers: { env: EnvVar[] }[] } } };
  return Object.fromEntries(spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value]));
}

test("issue 22: plain numbers and booleans keep their source text", () => {
  const env = renderedEnv(
    edit(
      MODEL,
      "traffic: 10}",
      "traffic: 10, env: {MODE: 0755, BIG: 12345678901234567890, E: 1e3, HEX: 0x1F, INF: .inf, YES: true, HALF: -.5, PLUS: +12, OCT: 0o17, TEXT: hello}}",
    ),
  );
  expect(env).toMatchObject({
    MODE: "0755",
    BIG: "12345678901234567890",
    E: "1e3",
    HEX: "0x1F",
    INF: ".inf",
    YES: "true",
    HALF: "-.5",
    PLUS: "+12",
    OCT: "0o17",
    TEXT: "hello",
  });
});

test("quoted and block values are the strings YAML reads", () => {
  const model = edit(MODEL, "traffic: 10}", 'traffic: 10, env: {A: "0755", B: \'1e3\', C: "line\\nbreak"}}');
  expect(renderedEnv(model)).toMatchObject({ A: "0755", B: "1e3", C: "line\nbreak" });
});

test("values reached through an alias and set in an override keep their source text", () => {
  const model =
    edit(MODEL, "traffic: 10}", "traffic: 10, env: {A: &mode 0755, B: *mode}}") +
    "  overrides:\n    prod:\n      versions:\n        - {name: v1.1.0, env: {C: 00042, A: 1.50}}\n";
  expect(renderedEnv(model)).toMatchObject({ A: "1.50", B: "0755", C: "00042" });
});

describe("credentialKind", () => {
  test.each([
    ["AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "an AWS access key id"],
    ["SESSION", "ASIAY34FZKBOKMUTVV7A", "an AWS access key id"],
    ["AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "an AWS secret access key"],
    ["GH", `ghp_${"a1B2".repeat(9)}`, "a GitHub token"],
    ["GH", `github_pat_11ABCDEFG0${"x".repeat(60)}`, "a GitHub token"],
    ["SLACK", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "a Slack token"],
    ["HOOK", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "a Slack webhook URL"],
    ["TLS", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----", "a private key"],
    ["KEY", "-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"],
    ["AUTH", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "a JSON Web Token"],
    ["DATABASE", "postgres://app:s3cr3t@db.internal:5432/app", "a URL with a password in it"],
    ["DB_PASSWORD", "Xk9#mQ2$vL8@pR4!", "a secret (a long random value under a secret's name)"],
    ["API_KEY", "8f14e45fceea167a5a36dedd4bea2543", "a secret (a long random value under a secret's name)"],
  ])("%s=%s is %s", (name, value, kind) => {
    expect(credentialKind(name, value)).toBe(kind);
  });

  test.each([
    ["LOG_LEVEL", "info"],
    ["TOKEN_URL", "https://auth.example.com/oauth/token"],
    ["PASSWORD_FILE", "/var/run/secrets/db/password"],
    ["SECRET_NAME", "prod/fraud/db-credentials"],
    ["SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"],
    ["GIT_SHA", "4b825dc642cb6eb9a060e54bf8d69288fbee4904"],
    ["DB_PASSWORD", "changeme"],
    ["TOKEN_TTL", "3600"],
    ["DATABASE", "postgres://db.internal:5432/app"],
    ["API_KEY", "${API_KEY}"],
  ])("%s=%s is not flagged", (name, value) => {
    expect(credentialKind(name, value)).toBeUndefined();
  });

  test("entropy: one symbol has none, sixteen distinct symbols have four bits each", () => {
    expect(entropy("aaaa")).toBe(0);
    expect(entropy("0123456789abcdef")).toBeCloseTo(4);
  });
});
