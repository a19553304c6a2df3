import { jobFields } from '../../../lib/validation/rules/job-fields';
import { KubeObject } from '../../../lib/manifest/types';
import { container, runRule } from '../helpers';

const template = { spec: { restartPolicy: 'Never', containers: [container()] } };
const cronJob = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup' }, spec: { schedule: '30 2 * * *', jobTemplate: { spec: { template } }, ...spec },
});

describe('job-fields', () => {
  it('passes for schedules robfig/cron parses and IANA time zones', () => {
    const schedules = ['30 2 * * *', '@daily', '@every 1h30m', '? * * * *', '0 9 1 jan,jul mon-fri'];
    expect(runRule(jobFields, schedules.map((schedule) => cronJob({ schedule, timeZone: 'Europe/Moscow' })))).toEqual([]);
  });

  it('rejects the issue\'s "61 * * * *", a TZ in the schedule, and unknown or wrongly cased time zones', () => {
    const findings = runRule(jobFields, [
      cronJob({ schedule: '61 * * * *' }),
      cronJob({ schedule: 'CRON_TZ=UTC 0 3 * * *' }),
      cronJob({ timeZone: 'Mars/Olympus' }),
      cronJob({ timeZone: 'europe/moscow' }),
    ]);
    expect(findings.map((f) => f.path)).toEqual(['spec.schedule', 'spec.schedule', 'spec.timeZone', 'spec.timeZone']);
    expect(findings[0].message).toContain('minute "61": "61" must be 0-59; the API server rejects it');
    expect(findings[3].message).toContain('the name is case-sensitive: write "Europe/Moscow"');
  });

  it('rejects negative counts, an unknown completion mode and a selector in a jobTemplate', () => {
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'seed' }, spec: { backoffLimit: -1, completionMode: 'Ordered', template } };
    const findings = runRule(jobFields, [job, cronJob({ concurrencyPolicy: 'Queue', jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, template } } })]);
    expect(findings.map((f) => f.path)).toEqual(['spec.backoffLimit', 'spec.completionMode', 'spec.concurrencyPolicy', 'spec.jobTemplate.spec.selector']);
  });
});
