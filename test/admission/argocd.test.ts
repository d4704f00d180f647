// What Argo CD's sync engine would silently misread (BERTH1040, BERTH1041).
import { KNOWN_SYNC_OPTIONS } from "../../compiler/verify/admission/argocd.js";
import { SYNC_OPTIONS } from "../../compiler/emit/gitops.js";
import { admit, breakObject, codes } from "../helpers/admission.js";
import { compileFiles } from "../helpers/fixture.js";

const base = compileFiles();
const plan = base.plan!;
const NAMESPACE = "clusters/prod/platform/tenants/team-a/namespace-team-a.yaml";
const APP = "clusters/prod/apps/application-model-fraud.yaml";

test("every sync option berth renders is one Argo CD knows", () => {
  for (const o of SYNC_OPTIONS) expect(KNOWN_SYNC_OPTIONS.has(o)).toBe(true);
});

test.each([["-3.5"], ["1e2"], ["one"], [" 1"], ["99999999999999999999"]])(
  "BERTH1040: sync wave %j is not an integer (gitops-engine syncwaves.Wave would use 0)",
  (wave) => {
    const found = admit(
      plan,
      breakObject(base.objects, NAMESPACE, (o) => (o.metadata.annotations["argocd.argoproj.io/sync-wave"] = wave)),
    );
    expect(codes(found)).toEqual(["BERTH1040"]);
    expect(found[0]!.message).toContain(`argocd.argoproj.io/sync-wave ${JSON.stringify(wave)} is not an integer: Argo CD would silently sync it in wave 0`);
    expect(found[0]!.at).toEqual(base.objects.find((r) => r.path === NAMESPACE)!.origin);
  },
);

test.each([["-3"], ["+2"], ["007"], ["0"]])("sync wave %j is an integer to strconv.Atoi", (wave) => {
  expect(
    admit(
      plan,
      breakObject(base.objects, NAMESPACE, (o) => (o.metadata.annotations["argocd.argoproj.io/sync-wave"] = wave)),
    ),
  ).toEqual([]);
});

test("BERTH1041: an unknown option in an object's annotation and in an Application's sync policy", () => {
  const annotated = admit(
    plan,
    breakObject(base.objects, NAMESPACE, (o) => (o.metadata.annotations["argocd.argoproj.io/sync-options"] = "Prune=confirm,PruneLast=yes")),
  );
  expect(annotated.map((d) => [d.code, /sync option "PruneLast=yes" is not one Argo CD knows; it is silently ignored/.test(d.message)])).toEqual([
    ["BERTH1041", true],
  ]);
  const app = admit(
    plan,
    breakObject(base.objects, APP, (o) => o.spec.syncPolicy.syncOptions.push("CreateNamespace=yes")),
  );
  expect(app.map((d) => [d.code, /"CreateNamespace=yes"/.test(d.message)])).toEqual([["BERTH1041", true]]);
});
