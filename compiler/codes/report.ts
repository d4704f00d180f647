import type { CodeInfo } from "./info.js";

/** The HTML report (13xx). */
export const reportCodes = {
  BERTH1301: {
    severity: "error",
    title: "report cannot be written",
    example:
      "--out:1:1: error BERTH1301: cannot write the report to /repo/README.md/index.html: ENOTDIR (not a directory)\n  hint: --out names a folder for the report (default: report/); choose one berth may create and write",
  },
} as const satisfies Record<string, CodeInfo>;
