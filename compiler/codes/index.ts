// The closed catalogue of diagnostic codes. docs/diagnostics.md documents each one and
// test/diagnostics covers each one; tests fail when either falls out of step with this table.
import { admissionCodes } from "./admission.js";
import { coreCodes } from "./core.js";
import { editCodes } from "./edit.js";
import { gitopsCodes } from "./gitops.js";
import type { CodeInfo } from "./info.js";
import { observabilityCodes } from "./observability.js";
import { platformLayerCodes } from "./platform-layer.js";
import { poolsCodes } from "./pools.js";
import { rolloutCodes } from "./rollouts.js";
import { securityCodes } from "./security.js";
import { reportCodes } from "./report.js";
import { tenancyCodes } from "./tenancy.js";
import { trafficCodes } from "./traffic.js";
import { workloadsCodes } from "./workloads.js";

export type { CodeInfo } from "./info.js";

const catalogue = {
  ...coreCodes,
  ...tenancyCodes,
  ...poolsCodes,
  ...trafficCodes,
  ...gitopsCodes,
  ...editCodes,
  ...securityCodes,
  ...admissionCodes,
  ...reportCodes,
  ...platformLayerCodes,
  ...rolloutCodes,
  ...workloadsCodes,
  ...observabilityCodes,
};

export type Code = keyof typeof catalogue;
export const CATALOGUE: Readonly<Record<Code, CodeInfo>> = catalogue;
