// The traffic emitter and the route verifier: route order, canary changes, claim forms, access.
import { Diagnostics, refAt } from "../../compiler/diagnostics.js";
import type { KubeObject, Rendered } from "../../compiler/emit/types.js";
import { verifyRoutes } from "../../compiler/verify/routes.js";
import { baseFiles, compileFiles, edit, MODEL, PLATFORM } from "../helpers/fixture.js";

const MODEL_FILE = "models/team-a/fraud.yaml";
const ROUTES = "clusters/prod/platform/routes/virtualservice-model-fraud.yaml";

type Route = {
  name: string;
  match?: { headers: Record<string, Record<string, string>> }[];
  route?: { destination: { subset: string }; weight?: number }[];
  delegate?: object;
  directResponse?: { status: number };
};

function ok(changes: Record<string, string | null> = {}) {
  const result = compileFiles(changes);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors).toEqual([]);
  return result;
}

function objectAt(result: ReturnType<typeof compileFiles>, path: string): KubeObject {
  const r = result.objects.find((o) => o.path === path);
  if (!r) throw new Error(`no object at ${path}; have:\n${result.objects.map((o) => o.path).join("\n")}`);
  return r.object;
}

function routes(result: ReturnType<typeof compileFiles>, path = ROUTES): Route[] {
  return (objectAt(result, path).spec as { http: Route[] }).http;
}

test("a model's routes: pins, unknown pins, group rules, then the weighted split", () => {
  const r = routes(ok());
  expect(r.map((x) => x.name)).toEqual(["fraud-pin-v1.0.0", "fraud-pin-v1.1.0", "fraud-unknown-version", "fraud-group-team-a", "fraud-split"]);
  expect(r[0]!.match![0]!.headers).toEqual({ "model-id": { exact: "fraud" }, "model-version": { exact: "v1.0.0" } });
  expect(r[2]!.directResponse!.status).toBe(404);
  expect(r[3]!.match![0]!.headers).toEqual({ "model-id": { exact: "fraud" }, "@request.auth.claims.groups": { exact: "team-a" } });
  expect(r[3]!.route!.map((d) => d.destination.subset)).toEqual(["v1-1-0"]);
  expect(r[4]!.route!.map((d) => [d.destination.subset, d.weight])).toEqual([
    ["v1-0-0", 90],
    ["v1-1-0", 10],
  ]);
});

test("a model's routes are bound to the gateway for the shared host, in the gateway's namespace, synced by the platform", () => {
  const result = ok();
  const vs = objectAt(result, ROUTES);
  expect(vs.metadata).toMatchObject({ name: "model-fraud", namespace: "istio-system" });
  expect(vs.spec).toMatchObject({ hosts: ["models.example.internal"], gateways: ["istio-system/models-gateway"] });
  // No delegation: claim matches live only where istiod accepts them, in a gateway-bound VirtualService.
  const virtualServices = result.objects.filter((o) => o.object.kind === "VirtualService");
  expect(virtualServices.map((o) => o.path)).toEqual([ROUTES]);
  expect(routes(result).some((r) => r.delegate)).toBe(false);
  const project = objectAt(result, "clusters/prod/apps/appproject-tenant-team-a.yaml").spec as { namespaceResourceWhitelist: { kind: string }[] };
  expect(project.namespaceResourceWhitelist.map((k) => k.kind)).not.toContain("VirtualService");
});

test("changing traffic 90/10 to 50/50 changes only weights", () => {
  const before = ok();
  const after = ok({ [MODEL_FILE]: edit(edit(MODEL, "traffic: 90", "traffic: 50"), "traffic: 10", "traffic: 50") });
  expect(after.files.map((f) => f.path)).toEqual(before.files.map((f) => f.path));
  const changedLines: string[] = [];
  for (const f of after.files) {
    const old = before.files.find((b) => b.path === f.path)!.content.split("\n");
    f.content.split("\n").forEach((line, i) => {
      if (line !== old[i]) changedLines.push(`${f.path}: ${old[i]?.trim()} -> ${line.trim()}`);
    });
  }
  expect(changedLines).toEqual([`${ROUTES}: weight: 90 -> weight: 50`, `${ROUTES}: weight: 10 -> weight: 50`]);
});

test("adding a version adds a Deployment, a subset and its routes", () => {
  const before = ok();
  const after = ok({ [MODEL_FILE]: edit(MODEL, "traffic: 10}", 'traffic: 5}\n    - {name: v1.2.0, artifact: "s3://models/fraud/1.2.0/", traffic: 5}') });
  const added = after.files.map((f) => f.path).filter((p) => !before.files.some((b) => b.path === p));
  expect(added).toEqual(expect.arrayContaining(["clusters/prod/tenants/team-a/fraud/deployment-fraud-v1-2-0.yaml"]));
  expect(added.every((p) => p.endsWith("-v1-2-0.yaml"))).toBe(true);
  const subsets = (objectAt(after, "clusters/prod/tenants/team-a/fraud/destinationrule-fraud.yaml").spec as { subsets: { name: string }[] }).subsets;
  expect(subsets.map((s) => s.name)).toEqual(["v1-0-0", "v1-1-0", "v1-2-0"]);
  const r = routes(after);
  expect(r.map((x) => x.name)).toContain("fraud-pin-v1.2.0");
  expect(r.at(-1)!.route!.map((d) => [d.destination.subset, d.weight])).toEqual([
    ["v1-0-0", 90],
    ["v1-1-0", 5],
    ["v1-2-0", 5],
  ]);
});

test("a version with traffic 0 gets no weight but stays pinnable", () => {
  const r = routes(ok({ [MODEL_FILE]: edit(edit(MODEL, "traffic: 10}", "traffic: 0}"), "traffic: 90", "traffic: 100") }));
  expect(r.map((x) => x.name)).toContain("fraud-pin-v1.1.0");
  expect(r.at(-1)!.route!.map((d) => [d.destination.subset, d.weight])).toEqual([["v1-0-0", 100]]);
});

test("a groups claim with ':' uses the bracket form in the route and the policy", () => {
  const result = ok({ "platform/platform.yaml": edit(PLATFORM, "groupsClaim: groups", 'groupsClaim: "cognito:groups"') });
  expect(Object.keys(routes(result)[3]!.match![0]!.headers)).toEqual(["model-id", "@request.auth.claims[cognito:groups]"]);
  const policy = objectAt(result, "clusters/prod/tenants/team-a/fraud/authorizationpolicy-fraud.yaml").spec as { rules: { when?: { key: string }[] }[] };
  expect(policy.rules[0]!.when![0]!.key).toBe("request.auth.claims[cognito:groups]");
});

test("the AuthorizationPolicy allows the access groups from the platform issuer, health checks and Prometheus", () => {
  const policy = objectAt(ok(), "clusters/prod/tenants/team-a/fraud/authorizationpolicy-fraud.yaml");
  expect(policy.spec).toEqual({
    selector: { matchLabels: { "app.kubernetes.io/name": "fraud" } },
    action: "ALLOW",
    rules: [
      { from: [{ source: { requestPrincipals: ["https://auth.example.com/*"] } }], when: [{ key: "request.auth.claims[groups]", values: ["team-a"] }] },
      { to: [{ operation: { methods: ["GET"], paths: ["/health", "/ready"] } }] },
      { from: [{ source: { namespaces: ["monitoring"] } }], to: [{ operation: { methods: ["GET"], paths: ["/metrics"] } }] },
    ],
  });
});

test("an empty access list still renders an ALLOW policy, which denies every caller", () => {
  const result = compileFiles({
    [MODEL_FILE]: edit(edit(MODEL, "access: [team-a]", "access: []"), "  routing:\n    - {group: team-a, version: v1.1.0}\n", ""),
  });
  expect(result.ok).toBe(true);
  const rules = (objectAt(result, "clusters/prod/tenants/team-a/fraud/authorizationpolicy-fraud.yaml").spec as { rules: { when?: unknown }[] }).rules;
  expect(rules).toHaveLength(2);
  expect(rules.some((r) => r.when)).toBe(false);
});

test("the gateway forwards the verified token; tenants verify it again; both check the audiences", () => {
  const result = ok();
  const gateway = objectAt(result, "clusters/prod/platform/requestauthentication-berth-ingress-jwt.yaml");
  expect(gateway.spec).toEqual({
    selector: { matchLabels: { istio: "ingressgateway" } },
    jwtRules: [{ issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/jwks", audiences: ["models-api"], forwardOriginalToken: true }],
  });
  const tenant = objectAt(result, "clusters/prod/platform/tenants/team-a/requestauthentication-berth-jwt.yaml");
  expect(tenant.metadata.namespace).toBe("team-a");
  expect(tenant.spec).toEqual({ jwtRules: [{ issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/jwks", audiences: ["models-api"] }] });
});

test("each model's routes are one object, whatever the fleet: no object grows with the number of models", () => {
  const files = {
    ...baseFiles(),
    "tenants/a-team.yaml": edit(edit(baseFiles()["tenants/team-a.yaml"] as string, "name: team-a", "name: a-team"), "namespace: team-a", "namespace: a-team"),
    "models/a-team/zeta.yaml": edit(MODEL, "name: fraud", "name: zeta"),
  };
  const result = compileFiles({}, files);
  expect(result.ok).toBe(true);
  const ids = (path: string) => [...new Set(routes(result, path).map((r) => r.match![0]!.headers["model-id"]!.exact))];
  expect(ids(ROUTES)).toEqual(["fraud"]);
  expect(ids("clusters/prod/platform/routes/virtualservice-model-zeta.yaml")).toEqual(["zeta"]);
  expect(JSON.stringify(objectAt(result, ROUTES))).toBe(JSON.stringify(objectAt(ok(), ROUTES)));
});

describe("route verifier", () => {
  const base = ok();

  const gatewayBound = (name: string, http: object[], file: string): Rendered => ({
    path: `clusters/prod/platform/routes/virtualservice-${name}.yaml`,
    object: {
      apiVersion: "networking.istio.io/v1beta1",
      kind: "VirtualService",
      metadata: { name, namespace: "istio-system" },
      spec: { hosts: ["models.example.internal"], gateways: ["istio-system/models-gateway"], http },
    },
    sources: [file],
    origin: refAt(file, "metadata", "name"),
    owner: { cluster: "prod" },
  });
  const split = (name: string) => ({
    name,
    match: [{ headers: { "model-id": { exact: "fraud" } } }],
    route: [{ destination: { host: "fraud.team-a.svc.cluster.local", subset: "v1-0-0" } }],
  });

  test("BERTH1031: a second VirtualService claiming a model-id names both spec files", () => {
    const diags = new Diagnostics();
    verifyRoutes(base.plan!, [...base.objects, gatewayBound("intruder", [split("intruder-split")], "models/team-b/fraud.yaml")], diags);
    expect(diags.items.map((d) => [d.code, d.at.file])).toEqual([["BERTH1031", "models/team-b/fraud.yaml"]]);
    expect(diags.items[0]!.message).toMatch(
      /^route intruder-split \(in istio-system\/intruder, models\/team-b\/fraud.yaml\) and route fraud-pin-v1.0.0 \(version v1.0.0, models\/team-a\/fraud.yaml\) both match requests for models.example.internal on cluster prod from different VirtualServices .*istiod orders them by creation time/,
    );
  });

  test("BERTH1031: routes of other model-ids in another VirtualService do not collide", () => {
    const other = { ...split("other-split"), match: [{ headers: { "model-id": { exact: "other" } } }] };
    const diags = new Diagnostics();
    verifyRoutes(base.plan!, [...base.objects, gatewayBound("other", [other], "models/team-b/other.yaml")], diags);
    expect(diags.items).toEqual([]);
  });

  test("BERTH1031: a route that matches any model-id collides with every model's routes", () => {
    const everything = { name: "everything", match: [{ headers: { "model-id": { regex: ".+" } } }], directResponse: { status: 503 } };
    const diags = new Diagnostics();
    verifyRoutes(base.plan!, [gatewayBound("aaa", [everything], "platform/platform.yaml"), ...base.objects], diags);
    expect(diags.items.map((d) => d.code)).toEqual(["BERTH1031", "BERTH1031", "BERTH1031", "BERTH1031", "BERTH1031"]);
  });

  test("BERTH1026: a route name used in two VirtualServices of one host", () => {
    const other = { ...split("fraud-split"), match: [{ headers: { "model-id": { exact: "other" } } }] };
    const diags = new Diagnostics();
    verifyRoutes(base.plan!, [...base.objects, gatewayBound("other", [other], "models/team-b/other.yaml")], diags);
    expect(diags.items.map((d) => [d.code, d.at.file])).toEqual([["BERTH1026", "models/team-b/other.yaml"]]);
    expect(diags.items[0]!.message).toMatch(
      /route fraud-split on models.example.internal \(cluster prod\) is named twice: in istio-system\/model-fraud \(models\/team-a\/fraud.yaml\) and istio-system\/other/,
    );
  });

  test("BERTH0703: within one VirtualService, a catch-all route ahead of a model's routes takes all of them", () => {
    const objects = structuredClone(base.objects).map((o) => {
      if (o.path !== ROUTES) return o;
      const spec = o.object.spec as { http: object[] };
      spec.http.unshift({ name: "everything", match: [{ headers: { "model-id": { regex: ".+" } } }], directResponse: { status: 503 } });
      return o;
    });
    const diags = new Diagnostics();
    verifyRoutes(base.plan!, objects, diags);
    expect(diags.items.map((d) => d.code)).toEqual(["BERTH0703", "BERTH0703", "BERTH0703", "BERTH0703", "BERTH0703"]);
    expect(diags.items[0]!.message).toMatch(/can never match on cluster prod: everything \(in istio-system\/model-fraud, .*\) comes first/);
  });

  test("a root and its delegate are checked as istiod merges them", () => {
    const root = gatewayBound(
      "root",
      [{ name: "fraud", match: [{ headers: { "model-id": { exact: "fraud" } } }], delegate: { name: "fraud", namespace: "team-a" } }],
      "platform/platform.yaml",
    );
    const delegate: Rendered = {
      ...gatewayBound("fraud", [split("split"), split("split-again")], "models/team-a/fraud.yaml"),
      path: "clusters/prod/tenants/team-a/fraud/virtualservice-fraud.yaml",
    };
    delegate.object.metadata.namespace = "team-a";
    delete (delegate.object.spec as { hosts?: string[] }).hosts;
    delete (delegate.object.spec as { gateways?: string[] }).gateways;
    const objects = base.objects.filter((o) => o.path !== ROUTES);
    const diags = new Diagnostics();
    verifyRoutes(base.plan!, [...objects, root, delegate], diags);
    expect(diags.items.map((d) => d.code)).toEqual(["BERTH0703"]);
    expect(diags.items[0]!.message).toMatch(/^route fraud-split-again .* can never match on cluster prod: fraud-split/);
  });

  test("BERTH0704: routes to a version whose Deployment is missing on the cluster", () => {
    const objects = base.objects.filter((o) => !o.path.endsWith("deployment-fraud-v1-1-0.yaml"));
    const diags = new Diagnostics();
    verifyRoutes(base.plan!, objects, diags);
    const found = diags.items.map((d) => [d.code, JSON.stringify(d.at.path), d.message]);
    expect(found).toEqual([
      [
        "BERTH0704",
        '["spec","versions",1,"name"]',
        "route fraud-pin-v1.1.0 (version v1.1.0, models/team-a/fraud.yaml) sends traffic to subset v1-1-0 of fraud.team-a.svc.cluster.local, but no Deployment on cluster prod carries its labels",
      ],
      [
        "BERTH0704",
        '["spec","routing",0]',
        "route fraud-group-team-a (routing[0] (group team-a), models/team-a/fraud.yaml) sends traffic to subset v1-1-0 of fraud.team-a.svc.cluster.local, but no Deployment on cluster prod carries its labels",
      ],
      [
        "BERTH0704",
        '["spec","versions"]',
        "route fraud-split (the traffic split of fraud, models/team-a/fraud.yaml) sends traffic to subset v1-1-0 of fraud.team-a.svc.cluster.local, but no Deployment on cluster prod carries its labels",
      ],
    ]);
  });

  test("BERTH0704: a subset the DestinationRule does not define", () => {
    const objects = base.objects.map((o) => {
      if (!o.path.endsWith("destinationrule-fraud.yaml")) return o;
      const spec = o.object.spec as { subsets: { name: string }[] };
      return { ...o, object: { ...o.object, spec: { ...spec, subsets: spec.subsets.slice(0, 1) } } };
    });
    const diags = new Diagnostics();
    verifyRoutes(base.plan!, objects, diags);
    expect(diags.items.map((d) => d.code)).toEqual(["BERTH0704", "BERTH0704", "BERTH0704"]);
    expect(diags.items[0]!.message).toMatch(/no DestinationRule on cluster prod defines that subset/);
  });

  test("the rendered example routes verify clean", () => {
    const diags = new Diagnostics();
    verifyRoutes(base.plan!, base.objects, diags);
    expect(diags.items).toEqual([]);
  });
});
