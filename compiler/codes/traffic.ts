import type { CodeInfo } from "./info.js";

/** Routes, canaries and access (07xx). */
export const trafficCodes = {
} as const satisfies Record<string, CodeInfo>;
