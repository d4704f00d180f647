// The object-size bound protects etcd; the eksctl ClusterConfig never reaches it (one Pod Identity
// association per model makes it pass 1 MiB near 2,000 models), so it is exempt.
import { Diagnostics } from "../../compiler/diagnostics.js";
import type { Rendered } from "../../compiler/emit/types.js";
import { MAX_OBJECT_BYTES, verifyObjectSizes } from "../../compiler/verify/size.js";

const big = (apiVersion: string, kind: string): Rendered =>
  ({
    path: `clusters/prod/${kind}.yaml`,
    object: { apiVersion, kind, metadata: { name: "x" }, data: { blob: "a".repeat(MAX_OBJECT_BYTES + 10) } },
    sources: ["platform/clusters/prod.yaml"],
    origin: { file: "platform/clusters/prod.yaml", path: [] },
    owner: { cluster: "prod" },
  }) as unknown as Rendered;

test("an object over 1 MiB that the API server stores is an error; the eksctl config is not", () => {
  const diags = new Diagnostics();
  verifyObjectSizes([big("v1", "ConfigMap"), big("eksctl.io/v1alpha5", "ClusterConfig")], diags);
  expect(diags.items.map((d) => `${d.code} ${d.message.split(" (")[0]}`)).toEqual(["BERTH0235 ConfigMap x"]);
});
