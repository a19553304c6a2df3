import { App, Chart } from 'cdk8s';
import { ScheduledJob, ScheduledJobProps, StatefulApp } from '../../lib';
import { testChartLabels } from '../helpers';
import { cronScheduleProblem } from '../../lib/manifest/cron';

function chart(): Chart {
  return new Chart(new App(), 'test', { disableResourceNameHashes: true });
}

function synthCronJob(props: Partial<ScheduledJobProps> = {}) {
  const job = new ScheduledJob(chart(), 'Backup', { name: 'backup', image: 'backup:2.1', schedule: '0 3 * * *', ...props });
  return job.cronJob.toJson();
}

describe('ScheduledJob', () => {
  test('creates <name>-cronjob with schedule and concurrencyPolicy Forbid by default', () => {
    const manifest = synthCronJob();
    expect(manifest.kind).toBe('CronJob');
    expect(manifest.apiVersion).toBe('batch/v1');
    expect(manifest.metadata.name).toBe('backup-cronjob');
    expect(manifest.spec.schedule).toBe('0 3 * * *');
    expect(manifest.spec.concurrencyPolicy).toBe('Forbid');
    expect(manifest.spec.timeZone).toBeUndefined();
    expect(manifest.spec.suspend).toBeUndefined();
  });

  test('labels the Jobs and pods it creates and runs them with the restricted defaults', () => {
    const { jobTemplate } = synthCronJob({ command: ['backup'], restartPolicy: 'Never', backoffLimit: 2 }).spec;
    expect(jobTemplate.metadata.labels).toEqual(testChartLabels('backup', { 'app.kubernetes.io/version': '2.1' }));
    expect(jobTemplate.spec.backoffLimit).toBe(2);
    const pod = jobTemplate.spec.template.spec;
    expect(jobTemplate.spec.template.metadata.labels).toEqual(testChartLabels('backup', { 'app.kubernetes.io/version': '2.1' }));
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0]).toMatchObject({ name: 'backup', image: 'backup:2.1', command: ['backup'] });
  });

  test('passes the schedule settings through', () => {
    const { spec } = synthCronJob({
      schedule: '@hourly',
      timeZone: 'Europe/Moscow',
      concurrencyPolicy: 'Replace',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 0,
      failedJobsHistoryLimit: 5,
      suspend: true,
    });
    expect(spec).toMatchObject({
      schedule: '@hourly',
      timeZone: 'Europe/Moscow',
      concurrencyPolicy: 'Replace',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 0,
      failedJobsHistoryLimit: 5,
      suspend: true,
    });
  });

  test('can be a client of a server', () => {
    const scope = chart();
    const db = new StatefulApp(scope, 'Db', { name: 'db', image: 'db:1', port: 5432 });
    new ScheduledJob(scope, 'Backup', { name: 'backup', image: 'backup:2.1', schedule: '@daily' }).connections.allowTo(db);
    expect(db.networkPolicy!.toJson().spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'backup' } } }]);
  });

  describe('refuses bad props, naming path, field and value', () => {
    const longName = 'a'.repeat(45);
    test.each<[string, Partial<ScheduledJobProps>, string]>([
      ['name', { name: 'Backup' }, 'test/Backup: invalid name "Backup": must be a DNS-1123 label'],
      ['name too long for its Jobs', { name: longName }, `test/Backup: invalid name (as "<name>-cronjob") "${longName}-cronjob": must be at most 52 characters`],
      ['schedule', { schedule: '0 3 * *' }, 'test/Backup: invalid schedule "0 3 * *": must be five cron fields (minute hour day-of-month month day-of-week) or one of @yearly'],
      ['schedule out of range', { schedule: '0 24 * * *' }, 'test/Backup: invalid schedule "0 24 * * *": must be five cron fields (minute hour day-of-month month day-of-week) or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, "@every <duration>": hour "24": "24" must be 0-23'],
      ['timeZone', { timeZone: 'Mars/Olympus' }, 'test/Backup: invalid timeZone "Mars/Olympus": must be an IANA time zone name'],
      ['concurrencyPolicy', { concurrencyPolicy: 'Queue' as never }, 'test/Backup: invalid concurrencyPolicy "Queue": must be one of "Allow", "Forbid", "Replace"'],
      ['startingDeadlineSeconds', { startingDeadlineSeconds: 5 }, 'test/Backup: invalid startingDeadlineSeconds 5: must be an integer >= 10'],
      ['successfulJobsHistoryLimit', { successfulJobsHistoryLimit: -1 }, 'test/Backup: invalid successfulJobsHistoryLimit -1: must be an integer >= 0'],
      ['failedJobsHistoryLimit', { failedJobsHistoryLimit: 0.5 }, 'test/Backup: invalid failedJobsHistoryLimit 0.5: must be an integer >= 0'],
      ['job props', { restartPolicy: 'Always' as never }, 'test/Backup: invalid restartPolicy "Always"'],
      ['container props', { security: { runAsUser: 0 } }, 'test/Backup: invalid security.runAsUser 0'],
    ])('%s', (_field, props, message) => {
      expect(() => synthCronJob(props)).toThrow(message);
    });
  });
});

describe('cronScheduleProblem', () => {
  test.each([
    '* * * * *', '0 3 * * *', '*/15 * * * *', '0 9-17/2 * * MON-FRI', '0,30 8 1,15 * ?', '0 0 1 jan,jul *',
    '5 4 * * sun', '0 0 ? * 0-6', '  0  3 * * *  ', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly',
    // robfig/cron, the API server's parser, reads "?" as "*" in every field and takes @every.
    '? * * * *', '@every 5m', '@every 1h30m',
  ])('accepts %p', (schedule) => {
    expect(cronScheduleProblem(schedule)).toBeUndefined();
  });

  test.each([
    ['', 'found 0 fields'],
    ['* * * * * *', 'found 6 fields'],
    ['60 * * * *', 'minute "60": "60" must be 0-59'],
    ['* * 0 * *', 'day of month "0": "0" must be 1-31'],
    ['* * * 13 *', 'month "13": "13" must be 1-12 or JAN-DEC'],
    ['* * * * 7', 'day of week "7": "7" must be 0-6 or SUN-SAT'],
    ['* * * * MON-XYZ', 'day of week "MON-XYZ": "XYZ" must be 0-6 or SUN-SAT'],
    ['*/0 * * * *', 'minute "*/0": step "0" must be a positive integer'],
    ['*/5/2 * * * *', 'minute "*/5/2": "*/5/2" has more than one "/"'],
    ['0 17-9 * * *', 'hour "17-9": range "17-9" runs backwards'],
    ['0 1-2-3 * * *', 'hour "1-2-3": "1-2-3" is not a value or a range a-b'],
    ['0 1,,2 * * *', 'hour "1,,2": "" must be 0-23'],
    ['@every often', '"@every often" needs a duration such as "@every 1h30m"'],
    ['CRON_TZ=UTC 0 3 * * *', 'a time zone in the schedule (TZ or CRON_TZ) is not supported; use `timeZone`'],
  ])('refuses %p: %s', (schedule, problem) => {
    expect(cronScheduleProblem(schedule)).toBe(problem);
  });
});
