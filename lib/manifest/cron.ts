/**
 * CronJob schedules as the API server parses them: robfig/cron's standard parser (five fields or
 * a descriptor such as `@daily` or `@every 1h30m`), and no `TZ` anywhere in the text (the time
 * zone belongs in `spec.timeZone`). Shared by the `ScheduledJob` construct and the `job-fields` rule.
 */

export const SCHEDULE_DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'] as const;

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted instead of numbers, from `min` on (`JAN` = 1, `SUN` = 0), in any case. */
  readonly names?: readonly string[];
}

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** A Go `time.ParseDuration` string, as `@every` takes it: `90s`, `1h30m`, `1.5h`. */
const GO_DURATION = /^[-+]?(0|((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;

/**
 * What is wrong with a CronJob schedule, or `undefined` when the API server accepts it.
 */
export function cronScheduleProblem(schedule: string): string | undefined {
  if (schedule.includes('TZ')) return 'a time zone in the schedule (TZ or CRON_TZ) is not supported; use `timeZone`';
  const text = schedule.trim();
  if (text.startsWith('@')) {
    if ((SCHEDULE_DESCRIPTORS as readonly string[]).includes(text)) return undefined;
    if (text.startsWith('@every ')) return GO_DURATION.test(text.slice('@every '.length)) ? undefined : `"${text}" needs a duration such as "@every 1h30m"`;
    return `unknown macro ${JSON.stringify(text)}`;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== CRON_FIELDS.length) return `found ${text === '' ? 0 : fields.length} fields`;
  for (const [index, spec] of CRON_FIELDS.entries()) {
    const problem = cronFieldProblem(fields[index], spec);
    if (problem) return `${spec.name} ${JSON.stringify(fields[index])}: ${problem}`;
  }
  return undefined;
}

function cronFieldProblem(field: string, spec: CronField): string | undefined {
  for (const item of field.split(',')) {
    const problem = cronItemProblem(item, spec);
    if (problem) return problem;
  }
  return undefined;
}

function cronItemProblem(item: string, spec: CronField): string | undefined {
  const [range, step, ...rest] = item.split('/');
  if (rest.length) return `"${item}" has more than one "/"`;
  if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1)) return `step "${step}" must be a positive integer`;
  // `?` means "any" in every field of this parser, like `*`.
  if (range === '*' || range === '?') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `"${range}" is not a value or a range a-b`;
  const values = bounds.map((bound) => cronValue(bound, spec));
  const bad = bounds.find((_, i) => values[i] === undefined);
  if (bad !== undefined) {
    const names = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : '';
    return `"${bad}" must be ${spec.min}-${spec.max}${names}`;
  }
  if (values.length === 2 && values[0]! > values[1]!) return `range "${range}" runs backwards`;
  return undefined;
}

function cronValue(text: string, spec: CronField): number | undefined {
  const byName = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = byName >= 0 ? spec.min + byName : /^\d+$/.test(text) ? Number(text) : undefined;
  return value !== undefined && value >= spec.min && value <= spec.max ? value : undefined;
}

/** Why a CronJob `timeZone` is not one the API server loads, or `undefined` when it is. */
export function timeZoneProblem(timeZone: string): string | undefined {
  if (timeZone === '') return 'it is empty (leave timeZone out instead)';
  if (timeZone.toLowerCase() === 'local') return '"Local" is not an explicit time zone';
  if (timeZone.split('/').some((part) => part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part))) {
    return 'it is not an IANA time zone name';
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return 'it is not an IANA time zone name';
  }
  // The server reads the zone from a file of that name, so the case must match.
  if (resolved !== timeZone && resolved.toLowerCase() === timeZone.toLowerCase()) return `the name is case-sensitive: write "${resolved}"`;
  return undefined;
}
