// verifyWithModels runs the kubernetes-models validators without copying each object first:
// errors are still found, for the current and the older (Istio) model base classes alike.
import { Diagnostics } from "../../compiler/diagnostics.js";
import type { KubeObject, Rendered } from "../../compiler/emit/types.js";
import { verifyWithModels } from "../../compiler/verify/models.js";

function rendered(object: KubeObject): Rendered {
  return {
    path: "clusters/prod/x.yaml",
    object,
    sources: ["models/a/m.yaml"],
    origin: { file: "models/a/m.yaml", path: ["metadata", "name"] },
    owner: { cluster: "prod" },
  };
}

function codes(object: KubeObject): string[] {
  const diags = new Diagnostics();
  verifyWithModels([rendered(object)], diags);
  return diags.items.map((d) => `${d.code} ${d.message}`);
}

const deployment = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "m" }, spec });
const selector = { matchLabels: { app: "m" } };
const template = { metadata: { labels: { app: "m" } }, spec: { containers: [{ name: "c", image: "i:1" }] } };

test("a valid Deployment passes, undefined fields included", () => {
  expect(codes(deployment({ selector, template, replicas: undefined, paused: undefined }))).toEqual([]);
});

test("a Deployment with a wrong type fails", () => {
  expect(codes(deployment({ selector, template, replicas: "three" }))).toEqual([expect.stringMatching(/^BERTH0402 Deployment m .*replicas/)]);
});

test("an Istio VirtualService with a wrong type fails", () => {
  const vs: KubeObject = { apiVersion: "networking.istio.io/v1beta1", kind: "VirtualService", metadata: { name: "v" }, spec: { hosts: "not-a-list" } };
  expect(codes(vs)).toEqual([expect.stringMatching(/^BERTH0402 VirtualService v .*hosts/)]);
  expect(codes({ ...vs, spec: { hosts: ["a.example"] } })).toEqual([]);
});

test("the object itself is not changed", () => {
  const d = deployment({ selector, template, replicas: undefined });
  const before = JSON.stringify(d);
  codes(d);
  expect(JSON.stringify(d)).toBe(before);
  expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
});
