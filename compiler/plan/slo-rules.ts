// An SLO the platform could never judge, reported at the objective: a latency objective at or
// past the model's timeout (the gateway cuts slower requests, so the histogram never sees them
// miss it; they surface as errors instead).
import type { Diagnostics } from "../diagnostics.js";
import { latencyMs } from "../schema/slo.js";
import type { ModelPlan } from "./types.js";

export function checkSlo(m: ModelPlan, diags: Diagnostics): void {
  const latency = m.model.slo?.latencyP99;
  const ms = latency === undefined ? undefined : latencyMs(latency);
  if (ms === undefined || ms < m.model.timeoutSeconds * 1000) return;
  const at = m.prov.of("slo");
  diags.report(
    "BERTH1603",
    { file: at.file, path: [...at.path, "latencyP99"] },
    `slo.latencyP99 ${latency} is not below the model's timeout (${m.model.timeoutSeconds}s) on cluster ${m.cluster}: the gateway cuts every slower request, so the objective can never be missed by latency`,
    `lower latencyP99 below ${m.model.timeoutSeconds}s, or raise timeout`,
  );
}
