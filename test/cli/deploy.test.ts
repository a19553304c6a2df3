import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEPLOY_COMMAND, parseDuration, parseOptions, readStageFolder, ROLLBACK_COMMAND, stageFolder } from '../../lib/cli/deploy';
import { COMMANDS } from '../../lib/cli/commands';
import type { CommandIo } from '../../lib/cli/io';

function io(cwd: string): CommandIo & { errors: string[] } {
  const errors: string[] = [];
  return { cwd, env: {}, out: () => undefined, err: (text) => errors.push(text), interactive: false, errors };
}

describe('habr-k8s deploy, history, rollback: the command line', () => {
  test('the commands are registered', () => {
    expect(COMMANDS.map((command) => command.name)).toEqual(expect.arrayContaining(['deploy', 'history', 'rollback']));
  });

  test('durations are seconds, minutes or hours', () => {
    expect(parseDuration('--timeout', '90s')).toBe(90);
    expect(parseDuration('--timeout', '5m')).toBe(300);
    expect(parseDuration('--timeout', '1h')).toBe(3600);
    expect(parseDuration('--timeout', '42')).toBe(42);
    expect(() => parseDuration('--timeout', 'soon')).toThrow('--timeout soon: expected a duration such as 90s, 5m or 1h');
  });

  test('options by name, with = or a separate value; unknown options, missing values and extra arguments are usage errors', () => {
    expect(parseOptions(['dist/prod', '--stage=prod', '--timeout', '2m', '--dry-run'], ['--stage', '--timeout'], ['--dry-run'], 1)).toEqual({
      values: { '--stage': 'prod', '--timeout': '2m' }, flags: new Set(['--dry-run']), positional: ['dist/prod'],
    });
    expect(() => parseOptions(['--bogus'], [], [], 0)).toThrow('unknown option --bogus');
    expect(() => parseOptions(['--stage'], ['--stage'], [], 0)).toThrow('--stage needs a value');
    expect(() => parseOptions(['--stage', '--dry-run'], ['--stage'], ['--dry-run'], 0)).toThrow('--stage needs a value');
    expect(() => parseOptions(['a', 'b'], [], [], 1)).toThrow('unexpected argument b');
  });

  test('a bad --stage, --to or --keep-revisions is refused before connecting (exit code 2)', async () => {
    await expect(DEPLOY_COMMAND.run(['--stage', 'Prod!', '--dry-run'], io(os.tmpdir()))).rejects.toMatchObject({ exitCode: 2 });
    await expect(ROLLBACK_COMMAND.run(['--to', 'last'], io(os.tmpdir()))).rejects.toThrow('--to last: a revision is a whole number from 1 (see habr-k8s history)');
    await expect(DEPLOY_COMMAND.run(['dist', '--keep-revisions', '0'], io(os.tmpdir()))).rejects.toThrow('--keep-revisions 0: expected a whole number from 1');
    await expect(ROLLBACK_COMMAND.run(['--timeout', 'later'], io(os.tmpdir()))).rejects.toThrow('--timeout later: expected a duration');
  });

  test('the stage folder is dist/ for dev and dist/<stage>/ for the others', () => {
    expect(stageFolder('dev')).toBe('dist');
    expect(stageFolder('prod')).toBe(path.join('dist', 'prod'));
  });

  test('the folder is read and validated: a missing folder, an empty one, and one with errors are refused, the errors listed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-cli-'));
    try {
      expect(() => readStageFolder('nope', io(dir))).toThrow('nope: no such folder; synthesize the stage first');
      fs.mkdirSync(path.join(dir, 'empty'));
      expect(() => readStageFolder('empty', io(dir))).toThrow('empty: no manifests in it; synthesize the stage first');
      fs.mkdirSync(path.join(dir, 'bad'));
      fs.writeFileSync(path.join(dir, 'bad', 'app.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 99999\n');
      const cli = io(dir);
      expect(() => readStageFolder('bad', cli)).toThrow(/^bad: \d+ errors; nothing deployed$/);
      expect(cli.errors.join('\n')).toContain('Service default/web');
      expect(readStageFolder(path.join(__dirname, '..', '..', 'dist'), io(dir)).length).toBeGreaterThan(20);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
