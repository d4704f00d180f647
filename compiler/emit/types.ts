// What every emitter produces: one Kubernetes object (or one eksctl config) per output file.
import type { SpecRef } from "../diagnostics.js";
import type { Plan } from "../plan/types.js";

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** eksctl ClusterConfig only: its metadata also names the AWS region and Kubernetes version. */
  region?: string;
  version?: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Who an object belongs to, for the diff's grouping and the policy verifier. */
export interface Owner {
  readonly cluster: string;
  readonly tenant?: string;
  /** The model (or store) whose folder the object lives in. */
  readonly model?: string;
  /** `model` names a store: its folder is synced by the store's own Application. */
  readonly store?: boolean;
}

export interface Rendered {
  /** Output path relative to the repository root: clusters/<cluster>/.../<kind>-<name>.yaml */
  readonly path: string;
  readonly object: KubeObject;
  /** Spec files the object came from, named in the generated header. */
  readonly sources: readonly string[];
  /** The spec node a problem with this object points at. */
  readonly origin: SpecRef;
  readonly owner: Owner;
}

/** A generated file that is text, not a Kubernetes object (.github/CODEOWNERS). */
export interface RenderedText {
  readonly path: string;
  readonly content: string;
  readonly sources: readonly string[];
}

/**
 * Any typed object an emitter builds (kubernetes-models, Istio, Argo CD interfaces): their types mark
 * `metadata` optional and carry no index signature, so they are KubeObjects only once placed.
 */
export interface KubeModel {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
}

/** Where an object comes from and who owns it. */
export type Placement = Pick<Rendered, "sources" | "origin" | "owner">;

/** An object at `<dir>/<kind>-<name>.yaml`: the one place a typed model becomes a KubeObject. */
export function placed(dir: string, model: KubeModel, at: Placement): Rendered {
  const object = model as unknown as KubeObject;
  if (!object.kind || !object.metadata?.name) throw new Error(`berth bug: an object without a kind or a name in ${dir}`);
  return { path: `${dir}/${fileName(object.kind, object.metadata.name)}`, object, ...at };
}

/** An emitter translates the plan; it gets no diagnostics, so it cannot judge. */
export type Emitter = (plan: Plan) => Rendered[];

/** `<kind>-<name>.yaml`, lower case: stable names, one object per file. */
export function fileName(kind: string, name: string): string {
  return `${kind.toLowerCase()}-${name}.yaml`;
}
