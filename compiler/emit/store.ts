// Per store on each cluster: a ServiceAccount, a headless Service, a StatefulSet with one
// encrypted gp3 volume per replica, a PodDisruptionBudget and an AuthorizationPolicy admitting the
// identities of the models that use it. Its NetworkPolicies are guardrails (store-network.ts).
import { cmp } from "../base/order.js";
import type { IAuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IService } from "kubernetes-models/v1/Service";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { sidecarAnnotations } from "../plan/pod-requests.js";
import { refAt } from "../diagnostics.js";
import type { ClusterPlan, Plan, StorePlan } from "../plan/types.js";
import { LABEL_NAME, LABEL_TENANT, LABEL_WORKLOAD, MANAGED_BY, paths, WAVE, waveAnnotation } from "./meta.js";
import { containerResources, restrictedContainerSecurity, restrictedPodSpec, TMP_MOUNT } from "./pod-template.js";
import { STORAGE_CLASS } from "./platform-tiers.js";
import { fileName, type KubeObject, type Rendered } from "./types.js";
import { MERGED_METRICS_PORT } from "./workload.js";

export const DATA_VOLUME = "data";
export const ZONE_LABEL = "topology.kubernetes.io/zone";
export const HOSTNAME_LABEL = "kubernetes.io/hostname";
/** Istio's SPIFFE identities carry the mesh's trust domain; berth's meshes keep the default. */
export const TRUST_DOMAIN = "cluster.local";

export function storeLabels(s: StorePlan): Record<string, string> {
  return { ...MANAGED_BY, [LABEL_NAME]: s.name, [LABEL_TENANT]: s.tenant.name, "app.kubernetes.io/component": "store" };
}

export function storeSelector(s: StorePlan): Record<string, string> {
  return { [LABEL_NAME]: s.name };
}

export function emitStores(plan: Plan): Rendered[] {
  const out: Rendered[] = [];
  for (const cluster of plan.clusters) {
    for (const s of cluster.stores) {
      const dir = paths.model(cluster.name, s.tenant.name, s.name);
      const owner = { cluster: cluster.name, tenant: s.tenant.name, model: s.name, store: true };
      const add = (object: KubeObject, origin = refAt(s.file, "metadata", "name"), sources: readonly string[] = [s.file]) =>
        out.push({ path: `${dir}/${fileName(object.kind, object.metadata.name)}`, object, sources, origin, owner });
      add(serviceAccount(s) as KubeObject);
      add(service(s) as KubeObject);
      add(statefulSet(s) as unknown as KubeObject, refAt(s.file, "spec"));
      add(pdb(s) as KubeObject, refAt(s.file, "spec", "replicas"));
      const clients = clientModels(cluster, s);
      add(authorizationPolicy(s, clients) as unknown as KubeObject, refAt(s.file, "spec", "clients"), [s.file, ...new Set(clients.map((c) => c.file))].sort());
    }
  }
  return out;
}

export interface Client {
  readonly name: string;
  readonly file: string;
  readonly namespace: string;
}

/** The models on the cluster that use the store, by namespace then name. */
export function clientModels(cluster: ClusterPlan, s: StorePlan): Client[] {
  return cluster.models
    .filter((m) => m.uses.includes(s))
    .map((m) => ({ name: m.name, file: m.file, namespace: m.tenant.namespace }))
    .sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
}

function serviceAccount(s: StorePlan): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: s.name, namespace: s.tenant.namespace, labels: storeLabels(s), annotations: waveAnnotation(WAVE.identity) },
    automountServiceAccountToken: false,
  };
}

/**
 * Headless: each replica keeps its own DNS name (<store>-0.<store>), which clustered engines use
 * to find their peers, and the store's name resolves to every replica. Not-ready replicas are
 * published too, since a clustered engine needs its peers before it reports ready.
 */
function service(s: StorePlan): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: s.name, namespace: s.tenant.namespace, labels: storeLabels(s), annotations: waveAnnotation(WAVE.workload) },
    spec: {
      clusterIP: "None",
      publishNotReadyAddresses: true,
      selector: storeSelector(s),
      ports: [{ name: "store", port: s.engine.port, targetPort: s.engine.port, protocol: "TCP", appProtocol: "tcp" }],
    },
  };
}

/**
 * Parallel pod management: a clustered engine's replicas wait for each other, which the default
 * one-at-a-time order would deadlock (and the field cannot change later). Claims outlive the
 * StatefulSet and a scale-down: an index is never deleted as a side effect.
 */
function statefulSet(s: StorePlan): IStatefulSet {
  const labels = storeLabels(s);
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: s.name, namespace: s.tenant.namespace, labels, annotations: waveAnnotation(WAVE.workload) },
    spec: {
      serviceName: s.name,
      replicas: s.replicas,
      podManagementPolicy: "Parallel",
      revisionHistoryLimit: 5,
      updateStrategy: { type: "RollingUpdate" },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      selector: { matchLabels: storeSelector(s) },
      template: {
        metadata: {
          // The workload label puts the pods under the namespace's PodMonitor (emit/observability.ts).
          labels: { ...labels, [LABEL_WORKLOAD]: "store" },
          annotations: {
            ...sidecarAnnotations(),
            // A clustered engine calls its peers as it starts: through a proxy that is already up.
            "proxy.istio.io/config": JSON.stringify({ holdApplicationUntilProxyStarts: true }),
          },
        },
        spec: restrictedPodSpec({
          serviceAccount: s.name,
          priorityClassName: s.tenant.priorityClassName,
          pool: s.pool,
          containers: [container(s)],
          ownVolumes: true,
          terminationGracePeriodSeconds: 60,
          // One replica per node (a node's loss takes one replica), spread over zones where the pool has several.
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: storeSelector(s) }, topologyKey: HOSTNAME_LABEL }],
            },
          },
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: ZONE_LABEL, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: storeSelector(s) } },
          ],
        }),
      },
      volumeClaimTemplates: [
        {
          metadata: { name: DATA_VOLUME, labels },
          spec: { accessModes: ["ReadWriteOnce"], storageClassName: STORAGE_CLASS, resources: { requests: { storage: s.storage } } },
        },
      ],
    },
  };
}

function container(s: StorePlan): IContainer {
  const { port, probes, dataPath } = s.engine;
  const probe = (path: string | undefined, extra: object): IProbe => ({
    ...(path ? { httpGet: { path, port } } : { tcpSocket: { port } }),
    timeoutSeconds: 5,
    ...extra,
  });
  return {
    name: "store",
    image: s.engine.image,
    imagePullPolicy: "IfNotPresent",
    ports: [{ name: "store", containerPort: port, protocol: "TCP" }, { ...MERGED_METRICS_PORT }],
    resources: containerResources(s.resources),
    // Opening an index can take minutes: the startup probe holds liveness off until the engine answers.
    startupProbe: probe(probes?.liveness, { periodSeconds: 10, failureThreshold: 90 }),
    livenessProbe: probe(probes?.liveness, { periodSeconds: 10, failureThreshold: 3 }),
    readinessProbe: probe(probes?.readiness, { periodSeconds: 5, failureThreshold: 3 }),
    securityContext: restrictedContainerSecurity(),
    volumeMounts: [TMP_MOUNT, { name: DATA_VOLUME, mountPath: dataPath }],
  };
}

/** One replica at a time may be drained: a quorum of three survives a node's drain. */
function pdb(s: StorePlan): IPodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: s.name, namespace: s.tenant.namespace, labels: storeLabels(s), annotations: waveAnnotation(WAVE.workload) },
    spec: { maxUnavailable: 1, selector: { matchLabels: storeSelector(s) }, unhealthyPodEvictionPolicy: "AlwaysAllow" },
  };
}

/**
 * ALLOW only the mesh identities of the models that use the store, and the store's own (its
 * replicas talk to each other). The NetworkPolicies admit the same pods by address; this checks
 * who they are. With no client the policy still renders: it then admits the replicas alone.
 */
function authorizationPolicy(s: StorePlan, clients: readonly Client[]): IAuthorizationPolicy {
  const principal = (ns: string, sa: string) => `${TRUST_DOMAIN}/ns/${ns}/sa/${sa}`;
  const principals = [principal(s.tenant.namespace, s.name), ...clients.map((c) => principal(c.namespace, c.name))];
  return {
    apiVersion: "security.istio.io/v1beta1",
    kind: "AuthorizationPolicy",
    metadata: { name: s.name, namespace: s.tenant.namespace, labels: storeLabels(s), annotations: waveAnnotation(WAVE.guardrails) },
    spec: { selector: { matchLabels: storeSelector(s) }, action: "ALLOW", rules: [{ from: [{ source: { principals } }] }] },
  };
}
