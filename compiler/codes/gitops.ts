import type { CodeInfo } from "./info.js";

/** Argo CD delivery and diff (08xx). */
export const gitopsCodes = {
} as const satisfies Record<string, CodeInfo>;
