// Cron schedules as the CronJob controller reads them, and the durations batch deadlines use.
// Kubernetes validates `spec.schedule` with robfig/cron's standard parser (validateScheduleFormat
// in pkg/apis/batch/validation, robfig/cron v3 parser.go): five fields, lists, ranges, steps,
// month and weekday names, `?` for day-of-month or day-of-week, and the descriptors @yearly,
// @annually, @monthly, @weekly, @daily, @midnight, @hourly and @every <duration>. A schedule
// naming TZ= or CRON_TZ= is refused: the time zone is the CronJob's timeZone field.

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  { name: "day of week", min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

export const CRON_MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"] as const;

/** Why `schedule` is not one the CronJob controller accepts; undefined when it is one. */
export function cronProblem(schedule: string): string | undefined {
  const s = schedule.trim();
  if (s !== schedule) return "it has leading or trailing spaces";
  if (/^(CRON_)?TZ=/.test(s)) return "a time zone cannot be part of the schedule; berth sets timeZone: Etc/UTC";
  if (s.startsWith("@")) {
    if ((CRON_MACROS as readonly string[]).includes(s)) return undefined;
    const every = /^@every (.+)$/.exec(s);
    if (every) return goDurationSeconds(every[1]!) === undefined ? `@every takes a duration such as 1h30m, not "${every[1]}"` : undefined;
    return `${s.split(" ")[0]} is not a descriptor (${CRON_MACROS.join(", ")}, @every <duration>)`;
  }
  const parts = s.split(/\s+/);
  if (parts.length !== 5)
    return `it has ${parts.length} field${parts.length === 1 ? "" : "s"}; a schedule has five: minute hour day-of-month month day-of-week`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(parts[i]!, FIELDS[i]!, i === 2 || i === 4);
    if (problem) return problem;
  }
  return undefined;
}

function fieldProblem(text: string, f: Field, questionMark: boolean): string | undefined {
  for (const item of text.split(",")) {
    if (item === "") return `the ${f.name} field has an empty list item`;
    const [range, step, extra] = item.split("/");
    if (extra !== undefined) return `"${item}" has two steps`;
    if (step !== undefined && !/^\d+$/.test(step)) return `step "${step}" in the ${f.name} field is not a number`;
    if (step !== undefined && Number(step) === 0) return `step 0 in the ${f.name} field: a step is a positive number`;
    if (range === "*" || (range === "?" && questionMark)) continue;
    const [lowText, highText, more] = range!.split("-");
    if (more !== undefined) return `"${range}" in the ${f.name} field is not a range`;
    const low = value(lowText!, f);
    if (typeof low === "string") return low;
    if (highText === undefined) continue;
    const high = value(highText, f);
    if (typeof high === "string") return high;
    if (low > high) return `range ${range} in the ${f.name} field runs backwards`;
  }
  return undefined;
}

function value(text: string, f: Field): number | string {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + f.min;
  if (!/^\d+$/.test(text)) return `"${text}" is not a ${f.name}${f.names ? ` (numbers or ${f.names[0]}-${f.names[f.names.length - 1]})` : ""}`;
  const n = Number(text);
  if (n < f.min || n > f.max) return `${f.name} ${n} is outside ${f.min}-${f.max}`;
  return n;
}

/** Go's time.ParseDuration for the units a schedule may use (h, m, s, ms): seconds, or undefined. */
function goDurationSeconds(text: string): number | undefined {
  const parts = /^((\d+(\.\d+)?)(h|m|s|ms))+$/.test(text) ? text.match(/\d+(\.\d+)?(h|ms|m|s)/g) : null;
  if (!parts) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const total = parts.reduce((sum, p) => sum + Number(/^[\d.]+/.exec(p)![0]) * unit[p.replace(/^[\d.]+/, "")]!, 0);
  return total > 0 ? total : undefined;
}

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/** A batch deadline: whole days, hours, minutes and seconds, combined as in 1h30m; seconds, or undefined. */
export function parseDeadline(text: string): number | undefined {
  if (!/^(\d+[dhms])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, u] of text.matchAll(/(\d+)([dhms])/g)) total += Number(n) * UNIT_SECONDS[u!]!;
  return total > 0 ? total : undefined;
}
