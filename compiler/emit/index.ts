// The emitters, one per output family. Adding a family means adding it here.
import type { Diagnostics } from "../diagnostics.js";
import type { Plan } from "../plan.js";
import { emitAdmission } from "./admission.js";
import { emitBatch } from "./batch.js";
import { emitCodeowners } from "./codeowners.js";
import { emitEksctl } from "./eksctl.js";
import { emitGitops } from "./gitops.js";
import { emitStorageClasses } from "./storage-class.js";
import { emitStoreNetwork } from "./store-network.js";
import { emitStores } from "./store.js";
import { emitTenancy } from "./tenancy.js";
import { emitTraffic } from "./traffic.js";
import type { Emitter, Rendered } from "./types.js";
import { emitWorkloads } from "./workload.js";

export interface RenderedText {
  readonly path: string;
  readonly content: string;
  readonly sources: readonly string[];
}

export type TextEmitter = (plan: Plan, diags: Diagnostics) => RenderedText[];

export const EMITTERS: readonly Emitter[] = [emitWorkloads, emitTenancy, emitTraffic, emitEksctl, emitAdmission, emitBatch, emitStores, emitStoreNetwork, emitStorageClasses];

/** Emitters that deliver what the others rendered (Argo CD Applications per output folder). */
export type DeliveryEmitter = (plan: Plan, rendered: readonly Rendered[], diags: Diagnostics) => Rendered[];

export const DELIVERY_EMITTERS: readonly DeliveryEmitter[] = [emitGitops];

export const TEXT_EMITTERS: readonly TextEmitter[] = [emitCodeowners];
