import type { CodeInfo } from "./info.js";

/** Files, YAML, fields, references and rendered objects: the spine's codes (00xx-04xx). */
export const coreCodes = {
  // 00xx: files, folders and the generated tree
  BERTH0001: { severity: "error", title: "file cannot be read", example: "models/a/b.yaml:1:1: error BERTH0001: cannot read file: EACCES" },
  BERTH0002: {
    severity: "error",
    title: "file is not valid UTF-8",
    example: "tenants/a.yaml:3:1: error BERTH0002: invalid UTF-8 byte sequence at byte 41 (line 3)\n  hint: save the file as UTF-8",
  },
  BERTH0003: {
    severity: "error",
    title: "symbolic link leaves the repository",
    example: "models/a/b.yaml:1:1: error BERTH0003: symbolic link points outside the repository root (/etc/passwd)",
  },
  BERTH0004: {
    severity: "error",
    title: "spec file in the wrong place",
    example: "models/fraud.yaml:1:1: error BERTH0004: model specs live in models/<tenant>/<model>.yaml",
  },
  BERTH0005: { severity: "error", title: "platform spec missing", example: "platform/platform.yaml:1:1: error BERTH0005: platform/platform.yaml is missing" },
  BERTH0006: {
    severity: "error",
    title: "hand-written file under clusters/",
    example:
      "clusters/prod/notes.yaml:1:1: error BERTH0006: hand-written file under clusters/: berth never touches it, but it does not belong in the generated tree\n  hint: move it out of clusters/",
  },
  BERTH0007: {
    severity: "error",
    title: "generated tree out of date",
    example:
      "clusters/prod/apps/application-berth-platform-base.yaml:1:1: error BERTH0007: out of date or edited by hand: the specs render different content\n  hint: run `berth render` and commit the result",
  },
  BERTH0008: {
    severity: "error",
    title: "generated file missing",
    example:
      "clusters/prod/apps/application-berth-platform-base.yaml:1:1: error BERTH0008: missing: the specs render this file\n  hint: run `berth render` and commit the result",
  },
  BERTH0009: {
    severity: "error",
    title: "stale generated file",
    example: "clusters/prod/old.yaml:1:1: error BERTH0009: stale: no spec renders this file any more\n  hint: run `berth render` to remove it",
  },
  BERTH0010: {
    severity: "error",
    title: "hand-written file in the way",
    example: "clusters/prod/x.yaml:1:1: error BERTH0010: a hand-written file stands where berth must write",
  },
  BERTH0011: { severity: "error", title: "schema folder unusable", example: "--schemas:1:1: error BERTH0011: schema folder /work/schemas does not exist" },
  BERTH0012: {
    severity: "error",
    title: "unknown cluster selected",
    example: "--cluster:1:1: error BERTH0012: no cluster named prod-eu (known: prod-us-east-1)",
  },
  BERTH0013: {
    severity: "warning",
    title: "hand-written file left alone",
    example:
      "clusters/prod/notes.yaml:1:1: warning BERTH0013: hand-written file under clusters/ left untouched; `berth check` fails while it is there\n  hint: move it out of the generated tree",
  },
  BERTH0014: {
    severity: "error",
    title: "folder cannot be read",
    example: "models/team-a:1:1: error BERTH0014: cannot read folder: EACCES (permission denied)",
  },
  BERTH0015: {
    severity: "error",
    title: "not a file or folder where the layout expects one",
    example: "models:1:1: error BERTH0015: models is a file, not a folder\n  hint: models/ is a folder of spec files; move this out of the way",
  },
  BERTH0016: {
    severity: "error",
    title: "symbolic link loop",
    example: "models/team-a/all:1:1: error BERTH0016: symbolic link leads to models/team-a, a folder already read",
  },
  BERTH0017: {
    severity: "error",
    title: "spec file extension not .yaml or .yml",
    example:
      "models/team-a/fraud.YAML:1:1: error BERTH0017: fraud.YAML is not read: spec files end in .yaml or .yml, in lower case\n  hint: rename it to fraud.yaml",
  },
  // 004x: strict schema locations (--schemas, berth.config.yaml)
  BERTH0040: {
    severity: "warning",
    title: "no strict schema for a kind",
    example:
      "berth.config.yaml:3:1: warning BERTH0040: no strict schema for ClusterConfig eksctl.io/v1alpha5 (Kubernetes 1.28) at any schema location; its objects are checked by the kubernetes-models validators only. Tried: ...",
  },
  BERTH0041: {
    severity: "error",
    title: "schema download failed",
    example:
      "berth.config.yaml:5:5: error BERTH0041: cannot download https://raw.githubusercontent.com/.../deployment-apps-v1.json: HTTP 500 Internal Server Error",
  },
  BERTH0042: {
    severity: "error",
    title: "malformed schema file",
    example: "--schemas:1:1: error BERTH0042: schema file /work/schemas/service-v1.json is not valid JSON (Unexpected end of JSON input)",
  },
  BERTH0043: {
    severity: "error",
    title: "invalid schema location",
    example: "berth.config.yaml:4:5: error BERTH0043: schema location http://example.com/{{ .ResourceKind }}.json: berth downloads schemas over https only",
  },
  // 002x: writing the generated tree, and the environment it runs in
  BERTH0020: {
    severity: "error",
    title: "symbolic link in the generated tree",
    example: "clusters/prod:1:1: error BERTH0020: clusters/prod is a symbolic link; berth never writes, reads or deletes through a link in the generated tree",
  },
  BERTH0021: {
    severity: "error",
    title: "folder or file in the way of an output",
    example:
      "clusters/prod/apps/application-a.yaml:1:1: error BERTH0021: a folder stands where berth must write the file clusters/prod/apps/application-a.yaml",
  },
  BERTH0022: {
    severity: "error",
    title: "generated tree could not be written (rolled back)",
    example:
      "clusters/prod/x.yaml:1:1: error BERTH0022: cannot write clusters/prod/.x.yaml.berth-tmp-41-9f3c0a1b: ENOSPC: no space left on device; the render was rolled back: nothing changed",
  },
  BERTH0023: {
    severity: "error",
    title: "another render holds the lock",
    example: ".berth.lock:1:1: error BERTH0023: the berth render running as process 41 on ci-7 holds .berth.lock (waited 10 s)",
  },
  BERTH0024: {
    severity: "warning",
    title: "leftover file could not be removed",
    example:
      "clusters/prod/.x.yaml.berth-old-41-9f3c0a1b:1:1: warning BERTH0024: rendered, but could not remove clusters/prod/.x.yaml.berth-old-41-9f3c0a1b: EBUSY: resource busy or locked",
  },
  BERTH0025: {
    severity: "error",
    title: "file system error",
    example: "clusters/prod:1:1: error BERTH0025: cannot scandir clusters/prod: EACCES: permission denied",
  },
  // 01xx: YAML
  BERTH0101: {
    severity: "error",
    title: "YAML syntax error",
    example: "models/team-a/fraud.yaml:14:11: error BERTH0101: YAML syntax: this `[` is never closed\n  hint: end the list with `]`",
  },
  BERTH0102: {
    severity: "error",
    title: "tab in indentation",
    example: "models/team-a/fraud.yaml:6:1: error BERTH0102: tab character in indentation\n  hint: YAML indents with spaces only",
  },
  BERTH0103: {
    severity: "error",
    title: "duplicate key",
    example:
      "models/team-a/fraud.yaml:15:3: error BERTH0103: duplicate key framework (first at line 6)\n  hint: each key may appear once in a mapping; remove or merge the repeated one",
  },
  BERTH0104: {
    severity: "error",
    title: "empty spec file",
    example: "tenants/team-a.yaml:1:1: error BERTH0104: file holds no document (it is empty or only comments)\n  hint: write a Tenant spec, or delete the file",
  },
  BERTH0105: {
    severity: "error",
    title: "several documents in one file",
    example: "tenants/team-a.yaml:13:1: error BERTH0105: file holds 2 documents; berth reads one spec per file\n  hint: split the documents into one file each",
  },
  BERTH0106: { severity: "error", title: "too many aliases", example: "models/a/b.yaml:3:9: error BERTH0106: too many alias expansions (a YAML alias bomb?)" },
  BERTH0107: {
    severity: "warning",
    title: "YAML 1.1 boolean word used as a string",
    example: "models/a/b.yaml:6:12: warning BERTH0107: unquoted `on` is a string here but a boolean to YAML 1.1 tools",
  },
  // 02xx: fields and values
  BERTH0200: { severity: "error", title: "required field missing", example: "models/a/b.yaml:4:3: error BERTH0200: spec.versions is required" },
  BERTH0201: {
    severity: "error",
    title: "unknown field",
    example: "models/team-a/fraud.yaml:11:3: error BERTH0201: unknown field spec.autoscale\n  hint: did you mean `autoscaling`?",
  },
  BERTH0202: {
    severity: "error",
    title: "wrong type or value",
    example: 'models/a/b.yaml:8:18: error BERTH0202: spec.autoscaling.minReplicas: expected an integer, found "two"',
  },
  BERTH0203: {
    severity: "error",
    title: "minReplicas above maxReplicas",
    example:
      "models/team-a/fraud.yaml:11:30: error BERTH0203: autoscaling.minReplicas (5) is greater than maxReplicas (4)\n  hint: lower minReplicas or raise maxReplicas",
  },
  BERTH0204: {
    severity: "error",
    title: "invalid name",
    example: 'models/a/B.yaml:3:17: error BERTH0204: metadata.name "Fraud_Detection" is not a DNS-1123 label',
  },
  BERTH0205: {
    severity: "error",
    title: "wrong apiVersion",
    example: "models/a/b.yaml:1:13: error BERTH0205: apiVersion must be berth.dev/v1alpha1, found berth.dev/v1",
  },
  BERTH0206: {
    severity: "error",
    title: "wrong kind for this folder",
    example:
      "tenants/fraud.yaml:2:7: error BERTH0206: kind Model does not belong in tenants/; files here hold kind Tenant\n  hint: move the file to models/<tenant>/",
  },
  BERTH0207: {
    severity: "error",
    title: "file name differs from metadata.name",
    example: 'models/a/b.yaml:3:17: error BERTH0207: metadata.name "c" must match the file name "b"',
  },
  BERTH0208: {
    severity: "error",
    title: "invalid quantity",
    example: 'models/a/b.yaml:9:28: error BERTH0208: "1GB" is not a Kubernetes quantity\n  hint: write 1G (10^9 bytes) or 1Gi (2^30 bytes)',
  },
  BERTH0209: {
    severity: "warning",
    title: "suspicious quantity",
    example: 'models/a/b.yaml:9:28: warning BERTH0209: memory "512m" means 0.512 bytes\n  hint: write 512Mi',
  },
  BERTH0210: {
    severity: "error",
    title: "request above limit",
    example: "models/a/b.yaml:9:5: error BERTH0210: resources.requests.cpu (4) is above resources.limits.cpu (2)",
  },
  BERTH0211: {
    severity: "error",
    title: "traffic does not sum to 100",
    example:
      "models/a/b.yaml:8:5: error BERTH0211: traffic over versions sums to 95, not 100 (v1.2.0=85, v1.3.0=10)\n  hint: adjust the versions' traffic so it adds up to 100",
  },
  BERTH0212: {
    severity: "error",
    title: "duplicate version name",
    example: "models/a/b.yaml:9:15: error BERTH0212: version v1-2-0 collides with v1.2.0 (both become v1-2-0 in object names)\n  hint: rename one of them",
  },
  BERTH0213: {
    severity: "error",
    title: "invalid version name",
    example: 'models/a/b.yaml:7:15: error BERTH0213: version name "V1_2" must use lowercase letters, digits, . and -',
  },
  BERTH0214: {
    severity: "error",
    title: "image without a pinned tag",
    example: 'models/a/b.yaml:8:16: error BERTH0214: image "reg/x:latest" must carry a tag other than latest, or a digest',
  },
  BERTH0215: {
    severity: "error",
    title: "image outside the allowed registries",
    example: 'models/a/b.yaml:8:16: error BERTH0215: image "docker.io/x:1" is not from an allowed registry',
  },
  BERTH0216: {
    severity: "error",
    title: "invalid environment variable name",
    example: 'models/a/b.yaml:10:9: error BERTH0216: env name "LOG-LEVEL" is not a C identifier',
  },
  BERTH0217: {
    severity: "error",
    title: "reserved environment variable",
    example: "models/a/b.yaml:10:9: error BERTH0217: env MODEL_ID is set by berth and cannot be overridden",
  },
  BERTH0218: {
    severity: "error",
    title: "unknown framework",
    example:
      'models/team-a/fraud.yaml:6:14: error BERTH0218: framework "onnx" has no runtime in the platform and versions v1.0.0, v1.1.0 give no image\n  hint: use a framework with a runtime (sklearn) or set versions[].image',
  },
  BERTH0219: {
    severity: "error",
    title: "value read as another type",
    example: 'platform/clusters/a.yaml:6:22: error BERTH0219: kubernetesVersion: 1.30 was read as the number 1.3\n  hint: quote it: "1.30"',
  },
  BERTH0220: { severity: "error", title: "invalid URL", example: "platform/platform.yaml:9:17: error BERTH0220: auth.issuer must be an https URL" },
  BERTH0221: {
    severity: "error",
    title: "override names an unknown version",
    example: "models/a/b.yaml:20:11: error BERTH0221: override names version v9, which the model does not declare",
  },
  // 023x-024x: values that parse but that Kubernetes, Istio or a container cannot use as meant
  BERTH0230: {
    severity: "error",
    title: "unknown YAML tag",
    example:
      "models/a/b.yaml:9:18: error BERTH0230: unknown YAML tag !custom: berth reads plain YAML 1.2 data, and would drop the tag without a word\n  hint: remove the tag; quote the value if it must stay a string",
  },
  BERTH0231: {
    severity: "error",
    title: "negative or zero quantity",
    example:
      'models/a/b.yaml:10:45: error BERTH0231: spec.resources.requests.memory: "-1Gi" is negative\n  hint: resources are counted up from zero: write a positive quantity such as 512Mi',
  },
  BERTH0232: {
    severity: "error",
    title: "group name outside the allowed characters",
    example:
      'models/a/b.yaml:14:20: error BERTH0232: spec.access[1]: group name "data-*" contains *, which Istio\'s AuthorizationPolicy reads as a wildcard (every group starting with data-) while routes match it exactly\n  hint: name one identity-provider group exactly; list each group that may call the model',
  },
  BERTH0233: {
    severity: "error",
    title: "replica count above berth's limit",
    example: "models/a/b.yaml:11:44: error BERTH0233: spec.autoscaling.maxReplicas: 5000 is above berth's limit of 1000 replicas per version",
  },
  BERTH0234: {
    severity: "error",
    title: "environment variable a container cannot receive",
    example:
      "models/a/b.yaml:10:22: error BERTH0234: spec.versions[0].env.CONFIG: CONFIG=... is 10485767 bytes; Linux refuses to start a process with one environment string over 131072 bytes (MAX_ARG_STRLEN)",
  },
  BERTH0235: {
    severity: "error",
    title: "rendered object too large",
    example:
      "models/a/b.yaml:8:7: error BERTH0235: Deployment fraud-v1 (clusters/prod/tenants/a/fraud/deployment-fraud-v1.yaml) is 1.15 MiB as JSON; berth keeps every object within 1 MiB, below etcd's 1.5 MiB request limit; largest field: spec.template.spec.containers[0].env[3].value (1.02 MiB)",
  },
  BERTH0236: {
    severity: "warning",
    title: "environment value looks like a credential",
    example:
      "models/a/b.yaml:10:31: warning BERTH0236: spec.versions[0].env.AWS_ACCESS_KEY_ID looks like an AWS access key id: it would be committed to git and written into the rendered Deployment, readable by anyone who can read the repository or the namespace\n  hint: keep credentials out of specs: store them in AWS Secrets Manager and read them at run time with the model's Pod Identity role, or have the platform team provide them as a Kubernetes Secret; rotate this one if it is real",
  },
  // 03xx: references between specs
  BERTH0301: { severity: "error", title: "unknown tenant", example: "models/nobody/b.yaml:1:1: error BERTH0301: folder models/nobody/ names no tenant" },
  BERTH0302: { severity: "error", title: "unknown cluster", example: "tenants/a.yaml:6:14: error BERTH0302: no cluster named prod-eu" },
  BERTH0303: {
    severity: "error",
    title: "unknown pool",
    example:
      "models/a/b.yaml:11:9: error BERTH0303: cluster prod has no pool named gpu (pools: general, gpu-inference)\n  hint: did you mean `gpu-inference`? choose one of general, gpu-inference (or overrides.prod.pool for this cluster only), or add the pool to platform/clusters/prod.yaml",
  },
  BERTH0304: {
    severity: "error",
    title: "route to unknown version",
    example:
      "models/a/b.yaml:14:38: error BERTH0304: routing sends group ml-engineers to version v2, which the model does not declare\n  hint: declared versions: v1.2.0, v1.3.0",
  },
  BERTH0305: {
    severity: "error",
    title: "model name used twice",
    example:
      "models/b/x.yaml:4:9: error BERTH0305: model name x is also used by models/a/x.yaml; the name is the model-id on the shared host\n  hint: choose a name no other tenant uses",
  },
  BERTH0306: { severity: "error", title: "namespace used twice", example: "tenants/b.yaml:6:14: error BERTH0306: namespace ds is also used by tenants/a.yaml" },
  BERTH0307: {
    severity: "error",
    title: "reserved namespace",
    example:
      "tenants/a.yaml:6:14: error BERTH0307: namespace kube-system is reserved for the system or the platform\n  hint: choose a namespace of the team's own, e.g. the tenant's name",
  },
  BERTH0308: {
    severity: "error",
    title: "model cluster outside its tenant",
    example: "models/a/b.yaml:16:14: error BERTH0308: tenant a is not deployed to cluster prod",
  },
  BERTH0309: {
    severity: "error",
    title: "override for an unused cluster",
    example: "models/a/b.yaml:18:5: error BERTH0309: override for cluster staging, where the model is not deployed",
  },
  // 04xx: rendered objects
  BERTH0401: {
    severity: "error",
    title: "derived name invalid or too long",
    example:
      'models/a/b.yaml:7:15: error BERTH0401: derived name "fraud-detection-for-card-payments-in-the-eu-region-v1-2-0-rc-12" is 63 characters; berth keeps object names within 63 so they fit in labels\n  hint: shorten the model or version name by 0 characters',
  },
  BERTH0402: {
    severity: "error",
    title: "rendered object fails the Kubernetes model",
    example:
      'models/a/b.yaml:9:5: error BERTH0402: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): spec.template.spec.containers[0].resources.requests.cpu must match format "quantity"\n  hint: this is a berth bug if the spec is valid; please report it with the spec',
  },
  BERTH0403: {
    severity: "error",
    title: "rendered object fails the strict schema",
    example:
      "models/a/b.yaml:1:1: error BERTH0403: Deployment b-v1 (clusters/prod/tenants/a/b/deployment-b-v1.yaml): /spec: must NOT have additional properties (replica)\n  hint: this is a berth bug if the spec is valid; please report it with the spec",
  },
  BERTH0404: {
    severity: "error",
    title: "two specs render the same object",
    example:
      "models/a/foo.yaml:8:15: error BERTH0404: Deployment, HorizontalPodAutoscaler and PodDisruptionBudget a/foo-bar-baz on cluster prod are also rendered from models/a/foo-bar.yaml; one object must have one source\n  hint: rename one of the two so the names berth derives from them (such as <model>-<version>) differ",
  },
  BERTH0405: {
    severity: "error",
    title: "spec dropped without an error (a bug in berth)",
    example: "models/a/b.yaml:3:9: error BERTH0405: the spec renders nothing on cluster prod, yet no error says why; berth stops rather than delete its output",
  },
} as const satisfies Record<string, CodeInfo>;
