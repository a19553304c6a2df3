import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Connections } from './connections';
import { buildJobTemplate, JobProps } from './job';
import { ContainerPort } from './pod-template';
import { checkDns1123Label, checkInteger, checkOneOf, invalidProp, removeHalfBuilt } from './props';
import { IPodTarget, namespaceOf, selectorLabelsFor } from './workload';
import { createJsonFormObject } from './json-form';

/** What the CronJob controller does when a run is due while the previous one still runs. */
export type ConcurrencyPolicy = 'Allow' | 'Forbid' | 'Replace';

const CONCURRENCY_POLICIES: readonly ConcurrencyPolicy[] = ['Allow', 'Forbid', 'Replace'];

/** Props of a {@link ScheduledJob}. */
export interface ScheduledJobProps extends JobProps {
  /** Base name: the CronJob is `<name>-cronjob` (at most 52 characters); also the `app.kubernetes.io/name` label of its pods. */
  readonly name: string;
  /** When to run: five cron fields (`"30 2 * * MON-FRI"`) or a macro such as `@hourly` or `@daily`. */
  readonly schedule: string;
  /** IANA time zone the schedule is read in, e.g. `Europe/Moscow`. @default - the kube-controller-manager's time zone */
  readonly timeZone?: string;
  /** `Forbid` skips a run while the previous one is still running; `Replace` stops the previous one; `Allow` runs both. @default 'Forbid' */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /** Seconds a missed run may start late before it is skipped. @default - no deadline */
  readonly startingDeadlineSeconds?: number;
  /** Finished successful Jobs kept for inspection. @default 3 (Kubernetes' default) */
  readonly successfulJobsHistoryLimit?: number;
  /** Failed Jobs kept for inspection. @default 1 (Kubernetes' default) */
  readonly failedJobsHistoryLimit?: number;
  /** Create no new runs (running ones continue). @default false */
  readonly suspend?: boolean;
}

/** The CronJob controller appends an 11-character suffix to the Job names, which must stay within 63. */
const MAX_CRON_JOB_NAME = 52;

/** The controller checks schedules every 10 seconds, so a shorter deadline may skip every run. */
const MIN_STARTING_DEADLINE_SECONDS = 10;

/**
 * A CronJob running a single-container pod on a schedule, with the same secure defaults as a
 * {@link BatchJob}. Its pods carry the `app.kubernetes.io/name` label, so it can be a client in
 * `connections.allowTo(server)`.
 */
export class ScheduledJob extends Construct implements IPodTarget {
  public readonly name: string;
  public readonly cronJob: k8s.KubeCronJob;
  public readonly connections: Connections;
  public readonly selectorLabels: Readonly<Record<string, string>>;
  public readonly containerPorts: readonly ContainerPort[] = [];
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    try {
      this.name = checkDns1123Label(this, 'name', props.name);
      const cronJobName = checkDns1123Label(this, 'name (as "<name>-cronjob")', `${props.name}-cronjob`);
      if (cronJobName.length > MAX_CRON_JOB_NAME) {
        throw invalidProp(this, 'name (as "<name>-cronjob")', cronJobName, `must be at most ${MAX_CRON_JOB_NAME} characters: the names of the Jobs it creates add 11`);
      }
      const schedule = checkSchedule(this, props.schedule);
      if (props.timeZone !== undefined) checkTimeZone(this, props.timeZone);
      const concurrencyPolicy = checkOneOf(this, 'concurrencyPolicy', props.concurrencyPolicy ?? 'Forbid', CONCURRENCY_POLICIES);
      if (props.startingDeadlineSeconds !== undefined) {
        checkInteger(this, 'startingDeadlineSeconds', props.startingDeadlineSeconds, MIN_STARTING_DEADLINE_SECONDS);
      }
      for (const field of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const) {
        const limit = props[field];
        if (limit !== undefined) checkInteger(this, field, limit, 0);
      }
      const { labels, spec } = buildJobTemplate(this, this.name, props);

      this.namespace = namespaceOf(this);
      this.selectorLabels = selectorLabelsFor(this.name);
      this.connections = new Connections(this);
      this.cronJob = createJsonFormObject(k8s.KubeCronJob, this, 'CronJob', {
        metadata: { name: cronJobName, labels, annotations: props.annotations && { ...props.annotations } },
        spec: {
          schedule,
          timeZone: props.timeZone,
          concurrencyPolicy,
          startingDeadlineSeconds: props.startingDeadlineSeconds,
          successfulJobsHistoryLimit: props.successfulJobsHistoryLimit,
          failedJobsHistoryLimit: props.failedJobsHistoryLimit,
          suspend: props.suspend,
          jobTemplate: { metadata: { labels }, spec },
        },
      });
    } catch (error) {
      throw removeHalfBuilt(this, error);
    }
  }
}

const SCHEDULE_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

function checkSchedule(scope: Construct, schedule: string): string {
  const problem = typeof schedule === 'string' ? cronScheduleProblem(schedule) : 'not a string';
  if (problem) {
    throw invalidProp(scope, 'schedule', schedule, `must be five cron fields (minute hour day-of-month month day-of-week) or one of ${SCHEDULE_MACROS.join(', ')}: ${problem}`);
  }
  return schedule;
}

function checkTimeZone(scope: Construct, timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw invalidProp(scope, 'timeZone', timeZone, 'must be an IANA time zone name such as "Etc/UTC" or "Europe/Moscow"');
  }
}

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted instead of numbers, from `min` on (`JAN` = 1, `SUN` = 0). */
  readonly names?: readonly string[];
  /** `?` means "any" (day fields only). */
  readonly anyMark?: boolean;
}

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, anyMark: true },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], anyMark: true },
];

/**
 * What is wrong with a CronJob schedule, or `undefined` when Kubernetes' cron parser accepts it:
 * five fields of `*`, values, ranges `a-b`, steps `/n` and comma lists, or a macro.
 */
export function cronScheduleProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (/^(CRON_)?TZ=/.test(text)) return 'a time zone in the schedule is not supported; use `timeZone`';
  if (text.startsWith('@')) return SCHEDULE_MACROS.includes(text) ? undefined : `unknown macro ${JSON.stringify(text)}`;
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
  if (range === '*' || (range === '?' && spec.anyMark)) return undefined;
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
