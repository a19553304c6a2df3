import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COMMANDS } from '../../lib/cli/commands';
import { DEPLOY_COMMAND, HISTORY_COMMAND, ROLLBACK_COMMAND } from '../../lib/cli/deploy';
import { DIFF_COMMAND } from '../../lib/cli/diff';
import { HELM_COMMAND } from '../../lib/cli/helm';
import { IMPORT_COMPOSE_COMMAND } from '../../lib/cli/import-compose';
import { SYNTH_COMMAND } from '../../lib/cli/synth';
import { VALIDATE_COMMAND } from '../../lib/cli/validate-command';
import { writeLoadHook } from './load-hook';

const ROOT = path.resolve(__dirname, '../..');

describe('COMMANDS', () => {
  test('each entry is named as the command its module defines, and gives its summary and help', () => {
    const modules = [SYNTH_COMMAND, VALIDATE_COMMAND, DIFF_COMMAND, HELM_COMMAND, IMPORT_COMPOSE_COMMAND, DEPLOY_COMMAND, HISTORY_COMMAND, ROLLBACK_COMMAND];
    expect(COMMANDS.map((command) => command.name)).toEqual(modules.map((command) => command.name));
    COMMANDS.forEach((command, i) => {
      expect(command.summary).toBe(modules[i].summary);
      expect(command.help).toBe(modules[i].help);
    });
  });

  test('habr-k8s validate loads no cdk8s: only the commands that run an app need it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'habr-k8s-commands-'));
    try {
      const hook = writeLoadHook(dir, /^(cdk8s|cdk8s-plus-27|constructs)$/);
      const run = (args: string[]) => spawnSync(process.execPath, ['-r', hook, path.join(ROOT, 'bin/habr-k8s.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
      const validate = run(['validate', 'test/fixtures/valid/app', '--external', 'Secret/shop/db-credentials']);
      expect(validate.stdout).toMatch(/objects checked/);
      expect(validate.stderr).not.toMatch(/loaded/);
      // The hook sees cdk8s where a command needs it: the check is not blind.
      expect(run(['synth', '--help']).stderr).toMatch(/loaded cdk8s/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
