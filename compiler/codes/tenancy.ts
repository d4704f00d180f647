import type { CodeInfo } from "./info.js";

/** Namespaces, quotas, RBAC and the policy verifier (05xx). */
export const tenancyCodes = {
} as const satisfies Record<string, CodeInfo>;
