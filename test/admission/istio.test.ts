// istiod's webhook and istioctl analyze on the rendered mesh objects (BERTH1020-1030). Cases marked
// "istio:" are taken from istio/istio's own tables (pkg/config/validation/validation_test.go
// TestValidateVirtualService, TestValidateHTTPHeaderName, TestValidateDestination,
// TestValidateDestinationRule, TestValidateAuthorizationPolicy, TestValidateRequestAuthentication;
// virtualservice_test.go TestValidateChainingVirtualService; analyzers testdata
// virtualservice_jwtclaimroute.yaml).
import { refAt } from "../../compiler/diagnostics.js";
import type { Rendered } from "../../compiler/emit/types.js";
import { headerNameProblems, isClaimRoute } from "../../compiler/verify/admission/istio-routes.js";
import { admit, breakObject, codes, type Mutable } from "../helpers/admission.js";
import { compileFiles, edit, MODEL } from "../helpers/fixture.js";

const base = compileFiles();
const plan = base.plan!;
const DIR = "clusters/prod/tenants/team-a/fraud";
const ROUTES = "clusters/prod/platform/routes/virtualservice-model-fraud.yaml";
const DR = `${DIR}/destinationrule-fraud.yaml`;
const AP = `${DIR}/authorizationpolicy-fraud.yaml`;
const GATEWAY_RA = "clusters/prod/platform/requestauthentication-berth-ingress-jwt.yaml";
const TENANT_RA = "clusters/prod/platform/tenants/team-a/requestauthentication-berth-jwt.yaml";
const http = (o: Mutable): Mutable[] => o.spec.http;

/** A VirtualService of its own, for the shapes berth never renders. */
function virtualService(name: string, namespace: string, spec: object, file = "models/team-a/fraud.yaml"): Rendered {
  return {
    path: `clusters/prod/extra/virtualservice-${name}.yaml`,
    object: { apiVersion: "networking.istio.io/v1beta1", kind: "VirtualService", metadata: { name, namespace }, spec },
    sources: [file],
    origin: refAt(file, "spec", "routing"),
    owner: { cluster: "prod" },
  };
}
const toFraud = [{ destination: { host: "fraud.team-a.svc.cluster.local", port: { number: 80 } } }];
const claimMatch = [{ headers: { "@request.auth.claims.groups": { exact: "team-a" } } }];

function only(found: ReturnType<typeof admit>, code: string, message: RegExp): void {
  expect(codes(found)).toEqual(found.map(() => code));
  if (!found.some((d) => message.test(d.message)))
    throw new Error(`no ${code} matching ${message}; found:\n${found.map((d) => d.message).join("\n") || "(nothing)"}`);
}

test("the rendered mesh objects pass istiod's validation", () => {
  expect(admit(plan, base.objects)).toEqual([]);
});

describe("claim routes and delegation", () => {
  test("istio: jwt claim route without gateway (gateways: [mesh]) is BERTH1020", () => {
    only(
      admit(plan, [
        ...base.objects,
        virtualService("mesh-bound", "team-a", {
          hosts: ["fraud.team-a.svc.cluster.local"],
          gateways: ["mesh"],
          http: [{ name: "g", match: claimMatch, route: toFraud }],
        }),
      ]),
      "BERTH1020",
      /route g matches @request.auth.claims.groups, but JWT claim based routing is only supported for gateway, found no gateways/,
    );
  });

  test("the delegate that used to hold the group rules (no hosts, no gateways) is BERTH1020", () => {
    const found = admit(plan, [...base.objects, virtualService("fraud", "team-a", { http: [{ name: "group-team-a", match: claimMatch, route: toFraud }] })]);
    only(found, "BERTH1020", /JWT claim based routing is only supported for gateway/);
    expect(found[0]!.at).toEqual(refAt("models/team-a/fraud.yaml", "spec", "routing"));
  });

  test("istio: delegate with gateway; delegate with delegate; root with delegate and destination", () => {
    only(
      admit(plan, [...base.objects, virtualService("d1", "team-a", { gateways: ["test"], http: [{ name: "r", route: toFraud }] })]),
      "BERTH1021",
      /delegate virtual service must have no gateways specified/,
    );
    only(
      admit(plan, [...base.objects, virtualService("d2", "team-a", { http: [{ name: "r", delegate: { name: "x", namespace: "team-a" } }] })]),
      "BERTH1021",
      /delegate HTTP route cannot contain delegate/,
    );
    only(
      admit(plan, [
        ...base.objects,
        virtualService("root", "istio-system", { hosts: ["foo.bar"], http: [{ name: "r", delegate: { name: "x", namespace: "team-a" }, route: toFraud }] }),
      ]),
      "BERTH1021",
      /root HTTP route must not specify route/,
    );
  });

  test("a root route that delegates to a VirtualService with hosts is dropped by istiod (BERTH1021)", () => {
    const root = virtualService("root", "istio-system", {
      hosts: ["foo.bar"],
      gateways: ["istio-system/models-gateway"],
      http: [{ name: "r", delegate: { name: "model-fraud", namespace: "istio-system" } }],
    });
    only(
      admit(plan, [...base.objects, root]),
      "BERTH1021",
      /delegates to istio-system\/model-fraud, which sets hosts: istiod only delegates to VirtualServices without hosts/,
    );
  });
});

describe("matches", () => {
  test("istio: header names (TestValidateHTTPHeaderName) and the claim forms (pkg/jwt/routing.go)", () => {
    for (const good of ["header1", "X-Requested-With", ":authority", "funky!$#_", "@request.auth.claims.groups", "@request.auth.claims[cognito:groups]"])
      expect(headerNameProblems(good)).toEqual([]);
    for (const bad of ["", "::", 'illegal"char', "model id"]) expect(headerNameProblems(bad)).not.toEqual([]);
    expect(isClaimRoute("@request.auth.claims")).toBe(false);
    expect(isClaimRoute("@request.auth.claims.")).toBe(false);
    expect(isClaimRoute("@request.auth.claims[]")).toBe(false);
  });

  test("BERTH1022: a route regex RE2 cannot compile", () => {
    const objects = breakObject(base.objects, ROUTES, (o) => (http(o)[2]!.match[0].headers["model-version"].regex = "(?!v1).+"));
    only(
      admit(plan, objects),
      "BERTH1022",
      /route fraud-unknown-version: headers model-version regex "\(\?!v1\)\.\+" uses a negative lookahead \(\(\?!…\)\), which RE2 does not support/,
    );
  });

  test("BERTH1023: a header name with a space, an empty prefix, a response header that sets Host", () => {
    only(
      admit(
        plan,
        breakObject(base.objects, ROUTES, (o) => (http(o)[4]!.match[0].headers = { "model id": { exact: "fraud" } })),
      ),
      "BERTH1023",
      /headers: header name model id is not a valid header name/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, ROUTES, (o) => (http(o)[4]!.match[0].headers["model-id"] = { prefix: "" })),
      ),
      "BERTH1023",
      /prefix string match should not be empty/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, ROUTES, (o) => (http(o)[2]!.headers.response.set = { host: "x" })),
      ),
      "BERTH1023",
      /invalid header "host": cannot set Host header/,
    );
  });
});

describe("actions and destinations", () => {
  test("istio: total destination weight = 0 (validateHTTPRouteDestinations)", () => {
    only(
      admit(
        plan,
        breakObject(base.objects, ROUTES, (o) => http(o)[4]!.route.forEach((d: Mutable) => (d.weight = 0))),
      ),
      "BERTH1024",
      /route fraud-split: total destination weight = 0/,
    );
  });

  test("BERTH1024: no action, a negative weight, a status out of range, an unknown retryOn", () => {
    only(
      admit(
        plan,
        breakObject(base.objects, ROUTES, (o) => delete http(o)[4]!.route),
      ),
      "BERTH1024",
      /HTTP route, redirect or direct_response is required/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, ROUTES, (o) => (http(o)[4]!.route[0].weight = -10)),
      ),
      "BERTH1024",
      /weight -10 < 0/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, ROUTES, (o) => (http(o)[2]!.directResponse.status = 700)),
      ),
      "BERTH1024",
      /HTTP status 700 is not in range 200-599/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, ROUTES, (o) => (http(o)[4]!.retries.retryOn = "connect-failure,5xxx")),
      ),
      "BERTH1024",
      /"5xxx" is not a valid retryOn policy/,
    );
  });

  test("istio: a subset name that is not a DNS-1123 label (TestValidateDestination)", () => {
    const found = admit(
      plan,
      breakObject(base.objects, ROUTES, (o) => (http(o)[0]!.route[0].destination.subset = "v1.0")),
    );
    only(found, "BERTH1024", /subset name is invalid: v1.0/);
  });

  test("BERTH1027: a destination host no rendered Service has, and a port it does not expose (DestinationHostAnalyzer)", () => {
    only(
      admit(
        plan,
        breakObject(base.objects, ROUTES, (o) => (http(o)[4]!.route[0].destination.host = "fraud.team-b.svc.cluster.local")),
      ),
      "BERTH1027",
      /sends to fraud.team-b.svc.cluster.local, but no Service team-b\/fraud is rendered on cluster prod/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, ROUTES, (o) => (http(o)[4]!.route[0].destination.port.number = 8080)),
      ),
      "BERTH1027",
      /port 8080, but the Service exposes 80/,
    );
  });
});

describe("DestinationRule", () => {
  test("istio: duplicate subset names, an invalid subset name, an invalid label value (TestValidateDestinationRule)", () => {
    only(
      admit(
        plan,
        breakObject(base.objects, DR, (o) => o.spec.subsets.push(structuredClone(o.spec.subsets[0]))),
      ),
      "BERTH1025",
      /duplicate subset names: v1-0-0/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, DR, (o) => (o.spec.subsets[0].name = "v1.0.0")),
      ),
      "BERTH1025",
      /subset name "v1.0.0" is invalid/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, DR, (o) => (o.spec.subsets[0].labels["app.kubernetes.io/version"] = "v1 0")),
      ),
      "BERTH1025",
      /invalid tag value: "v1 0"/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, DR, (o) => (o.spec.trafficPolicy = {})),
      ),
      "BERTH1025",
      /traffic policy must have at least one field/,
    );
  });
});

describe("policies", () => {
  test("istio: AuthorizationPolicy rules (TestValidateAuthorizationPolicy)", () => {
    only(
      admit(
        plan,
        breakObject(base.objects, AP, (o) => (o.spec.rules[0].from = [{ source: {} }])),
      ),
      "BERTH1029",
      /: `from.source` must not be empty, found at rule 0/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, AP, (o) => (o.spec.rules[1].to = [])),
      ),
      "BERTH1029",
      /`to` must not be empty, found at rule 1/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, AP, (o) => (o.spec.rules[0].when[0].key = "request.auth.claims")),
      ),
      "BERTH1029",
      /bad key \(request.auth.claims\): should have format a\[b\]/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, AP, (o) => (o.spec.rules[0].when[0].key = "request.auth.claim[groups]")),
      ),
      "BERTH1029",
      /unknown attribute: request.auth.claim\[groups\]/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, AP, (o) => (o.spec.rules[0].when[0].values = [])),
      ),
      "BERTH1029",
      /at least one of `values` or `notValues` must be set/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, AP, (o) => (o.spec.selector.matchLabels = { "app.kubernetes.io/name": "*" })),
      ),
      "BERTH1029",
      /wildcard is not supported in selector/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, AP, (o) => ((o.spec.action = "DENY"), delete o.spec.rules)),
      ),
      "BERTH1029",
      /DENY action without `rules` is meaningless/,
    );
  });

  test("istio: RequestAuthentication jwtRules (TestValidateRequestAuthentication)", () => {
    only(
      admit(
        plan,
        breakObject(base.objects, TENANT_RA, (o) => (o.spec.jwtRules[0].jwksUri = "ftp://auth.example.com/jwks")),
      ),
      "BERTH1030",
      /jwtRules\[0\]: URI scheme "ftp" is not supported/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, TENANT_RA, (o) => (o.spec.jwtRules[0].audiences = [""])),
      ),
      "BERTH1030",
      /audience must be non-empty string/,
    );
    only(
      admit(
        plan,
        breakObject(base.objects, TENANT_RA, (o) => (o.spec.jwtRules = [{}])),
      ),
      "BERTH1030",
      /issuer or jwksUri must be non-empty string/,
    );
  });

  test("BERTH1028: claim routes without a RequestAuthentication on the gateway's pods (JWTClaimRouteAnalyzer)", () => {
    const found = admit(
      plan,
      base.objects.filter((o) => o.path !== GATEWAY_RA),
    );
    only(
      found,
      "BERTH1028",
      /routes on @request.auth.claims.groups through gateway istio-system\/models-gateway, but no RequestAuthentication in istio-system selects its pods \(istio=ingressgateway\)/,
    );
    expect(found[0]!.at).toEqual(refAt("platform/platform.yaml", "spec", "auth"));
    // One that selects other pods does not count; one in the root namespace without a selector does.
    only(
      admit(
        plan,
        breakObject(base.objects, GATEWAY_RA, (o) => (o.spec.selector.matchLabels = { istio: "egressgateway" })),
      ),
      "BERTH1028",
      /no RequestAuthentication/,
    );
    expect(
      admit(
        plan,
        breakObject(base.objects, GATEWAY_RA, (o) => delete o.spec.selector),
      ),
    ).toEqual([]);
  });

  test("BERTH1028 is one finding per gateway, however many models route on the claim", () => {
    const two = compileFiles({ "models/team-a/zeta.yaml": edit(MODEL, "name: fraud", "name: zeta") });
    const found = admit(
      two.plan!,
      two.objects.filter((o) => o.path !== GATEWAY_RA),
    );
    expect(codes(found)).toEqual(["BERTH1028"]);
    expect(found[0]!.message).toMatch(/routes on @request.auth.claims.groups through gateway istio-system\/models-gateway \(and 1 more VirtualServices\)/);
  });
});
