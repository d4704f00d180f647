import type { CodeInfo } from "./info.js";

/** Node pools, instance types and the scheduling proof (06xx). */
export const poolsCodes = {
} as const satisfies Record<string, CodeInfo>;
