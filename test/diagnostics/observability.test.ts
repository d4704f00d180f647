// One table row (at least) per spec-input code of the observability family (BERTH16xx), pointing at
// the field to change. BERTH1604 and BERTH1605 are berth bugs, proved on mutated output in
// test/observability/verify.test.ts.
import { MODEL } from "../helpers/fixture.js";
import { runTable, type Case } from "../helpers/table.js";

const M = "models/team-a/fraud.yaml";
const withSlo = (slo: string) => MODEL + `  slo: ${slo}\n`;

const cases: Case[] = [
  {
    name: "an SLO of 100 %",
    files: { [M]: withSlo("{availability: 100}") },
    expect: [
      {
        code: "BERTH1601",
        file: M,
        line: 15,
        column: 23,
        message: /slo\.availability 100 is not a percentage strictly between 0 and 100/,
        hint: /error budget is zero/,
      },
    ],
  },
  { name: "an SLO above 100 %", files: { [M]: withSlo("{availability: 100.5}") }, expect: [{ code: "BERTH1601", file: M, line: 15 }] },
  {
    name: "an SLO of zero",
    files: { [M]: withSlo("{availability: 0}") },
    expect: [{ code: "BERTH1601", file: M, line: 15, hint: /as a percentage, e\.g\. 99\.9/ }],
  },
  { name: "a negative SLO", files: { [M]: withSlo("{availability: -1}") }, expect: [{ code: "BERTH1601", file: M, line: 15 }] },
  {
    name: "a latency objective between Istio's buckets",
    files: { [M]: withSlo("{availability: 99.9, latencyP99: 300ms}") },
    expect: [
      {
        code: "BERTH1602",
        file: M,
        line: 15,
        column: 41,
        message: /latencyP99 300ms is not a bucket boundary of istio_request_duration_milliseconds/,
        hint: /250ms or 500ms/,
      },
    ],
  },
  {
    name: "a latency objective in words",
    files: { [M]: withSlo('{availability: 99.9, latencyP99: "fast"}') },
    expect: [{ code: "BERTH1602", file: M, line: 15, message: /"fast" is not a duration in ms or s/ }],
  },
  {
    name: "a latency objective in minutes",
    files: { [M]: withSlo("{availability: 99.9, latencyP99: 1m}") },
    expect: [{ code: "BERTH1602", file: M, line: 15 }],
  },
  { name: "a latency objective in seconds on a bucket is fine", files: { [M]: withSlo("{availability: 99.95, latencyP99: 2.5s}") }, expect: [] },
  { name: "a latency objective on a bucket is fine", files: { [M]: withSlo("{availability: 99.9, latencyP99: 250ms}") }, expect: [] },
  { name: "availability alone is fine", files: { [M]: withSlo("{availability: 99.5}") }, expect: [] },
  {
    name: "a latency objective at the model's timeout",
    files: { [M]: MODEL + "  timeout: 30s\n  slo: {availability: 99.9, latencyP99: 30s}\n" },
    expect: [
      {
        code: "BERTH1603",
        file: M,
        line: 16,
        column: 41,
        message: /latencyP99 30s is not below the model's timeout \(30s\) on cluster prod/,
        hint: /lower latencyP99 below 30s, or raise timeout/,
      },
    ],
  },
  {
    name: "a latency objective past the timeout of one cluster's override",
    files: { [M]: MODEL + "  slo: {availability: 99.9, latencyP99: 10s}\n  overrides:\n    prod:\n      timeout: 10s\n" },
    expect: [{ code: "BERTH1603", file: M, line: 15, column: 41, message: /not below the model's timeout \(10s\) on cluster prod/ }],
  },
  {
    name: "an override's slo is checked at the override",
    files: { [M]: MODEL + "  overrides:\n    prod:\n      slo: {availability: 100}\n" },
    expect: [{ code: "BERTH1601", file: M, line: 17, column: 27 }],
  },
];

describe("observability (BERTH16xx)", () => runTable(cases));
