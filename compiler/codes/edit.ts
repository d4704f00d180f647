import type { CodeInfo } from "./info.js";

/**
 * The model commands (09xx): `berth model add-version|set-traffic|promote|retire`. A problem with
 * an argument points at `<command line>:1:<column>`, the column of that argument in the command
 * as berth echoes it (`berth model promote ...`); a problem in the model file at its line.
 */
export const editCodes = {
  BERTH0901: {
    severity: "error",
    title: "no model of that name",
    example: "<command line>:1:21: error BERTH0901: no model named fraud-detecton in models/<tenant>/\n  hint: did you mean fraud-detection?",
  },
  BERTH0902: {
    severity: "error",
    title: "no version of that name",
    example: "<command line>:1:37: error BERTH0902: model fraud-detection has no version v1.4.0\n  hint: its versions: v1.2.0, v1.3.0",
  },
  BERTH0903: {
    severity: "error",
    title: "version already exists",
    example:
      "models/data-science-team/fraud-detection.yaml:9:14: error BERTH0903: model fraud-detection already has version v1.3.0\n  hint: give the new version a name of its own; a version's artifact is never replaced in place",
  },
  BERTH0904: {
    severity: "error",
    title: "weights do not sum to 100",
    example:
      "<command line>:1:41: error BERTH0904: the weights sum to 90, not 100, in the model's spec (v1.2.0=80, v1.3.0=10)\n  hint: give weights that add up to 100; a version you do not name keeps its weight",
  },
  BERTH0905: {
    severity: "error",
    title: "more traffic than there is to move",
    example:
      "<command line>:1:51: error BERTH0905: --step 60 is more than the 50 points left to move to v1.3.0 on cluster staging-eu-west-1 (v1.2.0=50, v1.3.0=50)\n  hint: use --step 50 or less, or promote without --step to move all of it",
  },
  BERTH0906: {
    severity: "error",
    title: "malformed argument",
    example: '<command line>:1:44: error BERTH0906: --step must be a whole number from 1 to 100, not "ten"',
  },
  BERTH0907: {
    severity: "error",
    title: "retiring a version that still takes traffic",
    example:
      "models/data-science-team/fraud-detection.yaml:21:34: error BERTH0907: version v1.3.0 still takes 50% of the traffic on cluster staging-eu-west-1\n  hint: move its traffic first, e.g. berth model promote fraud-detection <another version>",
  },
  BERTH0908: {
    severity: "error",
    title: "retiring a version that routing or a batch job uses",
    example:
      "models/data-science-team/fraud-detection.yaml:14:36: error BERTH0908: the routing rule for group ml-engineers still sends requests to version v1.3.0\n  hint: point it at another version, or remove it, first",
  },
  BERTH0909: {
    severity: "error",
    title: "model does not run on that cluster",
    example: "<command line>:1:56: error BERTH0909: model embedding-store does not run on cluster staging-eu-west-1\n  hint: it runs on: prod-us-east-1",
  },
  BERTH0910: {
    severity: "error",
    title: "file laid out in a way berth will not edit",
    example:
      "models/a/fraud.yaml:8:5: error BERTH0910: berth cannot edit spec.versions safely: it uses a YAML alias\n  hint: write the values out (no anchors, aliases or tags under versions and overrides), or edit the file by hand",
  },
  BERTH0911: {
    severity: "error",
    title: "retiring a model's only version",
    example:
      "models/marketing/churn-predictor.yaml:8:15: error BERTH0911: 2026.11.1 is the only version of model churn-predictor\n  hint: a model keeps at least one version; add its successor first, or delete models/marketing/churn-predictor.yaml to remove the model",
  },
  BERTH0912: {
    severity: "error",
    title: "model name is not one Model file",
    example:
      "<command line>:1:21: error BERTH0912: model fraud is defined twice: models/a/fraud.yaml, models/b/fraud.yaml\n  hint: model names are unique across tenants; remove one of the files",
  },
} as const satisfies Record<string, CodeInfo>;
