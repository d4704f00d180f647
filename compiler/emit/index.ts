// The emitters, one per output family. Adding a family means adding it here.
import { cmp } from "../base/order.js";
import type { Plan } from "../plan/types.js";
import { emitAdmission } from "./admission.js";
import { emitBatch } from "./batch.js";
import { emitCodeowners } from "./codeowners.js";
import { emitEksctl } from "./eksctl.js";
import { emitGitops } from "./gitops.js";
import { emitObservability } from "./observability.js";
import { emitDashboards } from "./observability-dashboards.js";
import { emitSloRules } from "./observability-rules.js";
import { emitPlatformLayer } from "./platform-layer.js";
import { emitStoreNetwork } from "./store-network.js";
import { emitStores } from "./store.js";
import { emitTenancy } from "./tenancy.js";
import { emitTraffic } from "./traffic.js";
import type { Emitter, Rendered, RenderedText } from "./types.js";
import { emitWorkloads } from "./workload.js";

export type TextEmitter = (plan: Plan) => RenderedText[];

export const EMITTERS: readonly Emitter[] = [
  emitWorkloads,
  emitTenancy,
  emitTraffic,
  emitEksctl,
  emitAdmission,
  emitPlatformLayer,
  emitBatch,
  emitStores,
  emitStoreNetwork,
  emitObservability,
  emitSloRules,
  emitDashboards,
];

/** Emitters that deliver what the others rendered (Argo CD Applications per output folder). */
export type DeliveryEmitter = (plan: Plan, rendered: readonly Rendered[]) => Rendered[];

export const DELIVERY_EMITTERS: readonly DeliveryEmitter[] = [emitGitops];

export const TEXT_EMITTERS: readonly TextEmitter[] = [emitCodeowners];

/** Every object the plan renders, delivery (Argo CD) last since it delivers the others, sorted by path. */
export function emitAll(plan: Plan): Rendered[] {
  const rendered = EMITTERS.flatMap((emit) => emit(plan));
  return [...rendered, ...DELIVERY_EMITTERS.flatMap((deliver) => deliver(plan, rendered))].sort((a, b) => cmp(a.path, b.path));
}

/** The generated files that are text, not objects (.github/CODEOWNERS). */
export function emitTexts(plan: Plan): RenderedText[] {
  return TEXT_EMITTERS.flatMap((emit) => emit(plan));
}
