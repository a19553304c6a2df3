/** The bin's dispatcher: help, version, command lookup, exit codes, and one line per problem. */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { CliCommand } from '../../lib/cli/io';
import { COMMANDS } from '../../lib/cli/commands';
import { findCommand, generalHelp } from '../../lib/cli/dispatch';
import { packageVersion } from '../../lib/cli/package-version';
import { UsageError, UserError } from '../../lib/errors';
import { WebApp } from '../../lib';
import { runCli } from './run-cli';

/** A command that records its arguments and folder, and returns or throws what it is told to. */
function command(name: string, behaviour: () => number | never = () => 0): CliCommand & { calls: { args: readonly string[]; cwd: string }[] } {
  const calls: { args: readonly string[]; cwd: string }[] = [];
  return {
    name, calls,
    summary: `the ${name} command`,
    help: `usage: habr-k8s ${name} [--flag]`,
    run: async (args, io) => {
      calls.push({ args, cwd: io.cwd });
      return behaviour();
    },
  };
}

const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;

describe('habr-k8s', () => {
  test('--help and -h list every command with its summary, exit 0; no arguments print it to stderr, exit 2', async () => {
    const help = generalHelp(COMMANDS);
    for (const { name, summary } of COMMANDS) expect(help).toContain(`  ${name}`.padEnd(2 + Math.max(...COMMANDS.map((c) => c.name.length))) + `  ${summary}\n`);
    expect(await runCli(['--help'])).toEqual({ exitCode: 0, stdout: `${help}\n`, stderr: '' });
    expect(await runCli(['-h'])).toEqual({ exitCode: 0, stdout: `${help}\n`, stderr: '' });
    expect(await runCli([])).toEqual({ exitCode: 2, stdout: '', stderr: `${help}\n` });
  });

  test('--version is the version in package.json', async () => {
    expect(packageVersion()).toBe(VERSION);
    expect(await runCli(['--version'])).toEqual({ exitCode: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  test('synth, validate and diff are registered, each with a usage line naming the bin', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['synth', 'validate', 'diff']));
    for (const { name, help } of COMMANDS) expect(help).toMatch(new RegExp(`^usage: habr-k8s ${name} `));
  });

  test('an unknown command is one line naming the commands, exit 2', async () => {
    const commands = [command('synth'), command('validate')];
    expect(await runCli(['frobnicate', 'x'], { commands })).toEqual({
      exitCode: 2, stdout: '', stderr: 'habr-k8s: unknown command frobnicate; the commands are synth, validate (habr-k8s --help)\n',
    });
  });

  test('--help or -h after a command prints its help and does not run it', async () => {
    const synth = command('synth');
    expect(await runCli(['synth', '--stage', 'prod', '--help'], { commands: [synth] })).toEqual({ exitCode: 0, stdout: 'usage: habr-k8s synth [--flag]\n', stderr: '' });
    expect(await runCli(['synth', '-h'], { commands: [synth] })).toMatchObject({ exitCode: 0 });
    expect(synth.calls).toEqual([]);
  });

  test('a command of several words wins over a shorter one; it gets the arguments after its words and the folder', async () => {
    const importer = command('import');
    const compose = command('import compose');
    expect(findCommand(['import', 'compose', 'a.yml'], [importer, compose])).toEqual({ command: compose, rest: ['a.yml'] });
    expect(await runCli(['import', 'compose', 'a.yml', '--out', 'x'], { commands: [importer, compose], cwd: '/some/where' })).toMatchObject({ exitCode: 0 });
    expect(compose.calls).toEqual([{ args: ['a.yml', '--out', 'x'], cwd: '/some/where' }]);
    expect(importer.calls).toEqual([]);
  });

  test.each([0, 1, 2])('the exit code is what the command returns (%i)', async (code) => {
    expect(await runCli(['x'], { commands: [command('x', () => code)] })).toMatchObject({ exitCode: code });
  });

  test('a usage error is one line and a pointer to the help, exit 2; a user error one line, exit 1', async () => {
    const usage = command('synth', () => {
      throw new UsageError('--stage needs a value');
    });
    expect(await runCli(['synth'], { commands: [usage] })).toEqual({ exitCode: 2, stdout: '', stderr: 'habr-k8s synth: --stage needs a value\nsee habr-k8s synth --help\n' });
    const user = command('synth', () => {
      throw new UserError('README.md: markers missing\nsecond line');
    });
    expect(await runCli(['synth'], { commands: [user] })).toEqual({ exitCode: 1, stdout: '', stderr: 'habr-k8s synth: README.md: markers missing\n' });
  });

  test('every bad prop of a construct is one line, once; a stack trace only with DEBUG=1', async () => {
    const propsError = (() => {
      try {
        new WebApp(new Chart(Testing.app(), 'shop'), 'Api', { name: 'Bad_Name', image: 'api:1', port: 70000 });
      } catch (error) {
        return error;
      }
      throw new Error('WebApp accepted bad props');
    })();
    const commands = [command('synth', () => {
      throw propsError;
    })];
    const quiet = await runCli(['synth'], { commands });
    expect(quiet.exitCode).toBe(1);
    const lines = quiet.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^habr-k8s synth: shop\/Api: invalid name "Bad_Name": /);
    expect(lines[1]).toMatch(/^habr-k8s synth: shop\/Api: invalid port 70000: /);
    expect(quiet.stderr).not.toContain('    at ');
    const debug = await runCli(['synth'], { commands, env: { DEBUG: '1' } });
    expect(debug.stderr.startsWith(quiet.stderr)).toBe(true);
    expect(debug.stderr).toMatch(/\n {4}at /);
  });

  test('an error of the file system names the file relative to the folder the command was started in', async () => {
    const commands = [command('validate', () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', syscall: 'open', path: '/project/dist/a.yaml' });
    })];
    expect((await runCli(['validate'], { commands, cwd: '/project' })).stderr)
      .toBe(`habr-k8s validate: cannot open ${path.join('dist', 'a.yaml')}: permission denied; make it writable for you, or run as its owner (EACCES)\n`);
  });
});
