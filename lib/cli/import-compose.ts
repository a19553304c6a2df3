/** `habr-k8s import compose`: a typed app from a docker-compose file. */
import * as path from 'path';
import { UsageError } from '../errors';
import { importCompose } from '../compose/import';
import { formatWarning } from '../compose/plan';
import { shownPath } from './app-entry';
import { CliCommand, CommandIo } from './io';

export const IMPORT_COMPOSE_HELP = [
  'usage: habr-k8s import compose <docker-compose.yml> --out DIR [--namespace NS] [--force]',
  '',
  'Writes a typed app that uses the constructs: stages.ts, stack.ts, and main.ts, which ends with app.synth() for',
  'habr-k8s synth --app DIR/main.ts. Prints each file written and one warning per thing of the compose file it did not',
  'convert. Nothing is written when the file cannot be imported. The app imports the constructs from the package',
  'habr-k8s (from lib/ by a relative path when DIR is in apps/ of a checkout of this library). Paths are relative to',
  'this folder. Exit code 1 when the file cannot be imported or DIR exists, 2 on a wrong command line.',
  '',
  '  --out DIR         the app\'s folder; its name names the stack, the namespace and the output folder dist-<name>',
  '  --namespace NS    the namespace of every object; default: the folder\'s name',
  '  --force           replace the files of an existing folder (without it, an existing folder is refused)',
].join('\n');

interface ImportArguments {
  readonly file: string;
  readonly out: string;
  readonly namespace?: string;
  readonly force: boolean;
}

function parseImportArguments(args: readonly string[]): ImportArguments {
  const files: string[] = [];
  const values: { '--out'?: string; '--namespace'?: string } = {};
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const match = /^(--out|--namespace)(?:=(.*))?$/.exec(args[i]);
    if (match) {
      const option = match[1] as '--out' | '--namespace';
      const value = match[2] ?? args[++i];
      if (value === undefined || value === '' || value.startsWith('-')) throw new UsageError(`${option} needs a value`);
      if (values[option] !== undefined) throw new UsageError(`${option} given twice`);
      values[option] = value;
    } else if (args[i] === '--force') force = true;
    else if (args[i].startsWith('-')) throw new UsageError(`unexpected argument ${args[i]}`);
    else files.push(args[i]);
  }
  if (files.length !== 1) throw new UsageError(files.length ? `one compose file, not ${files.length}: ${files.join(', ')}` : 'missing the compose file');
  if (values['--out'] === undefined) throw new UsageError('missing --out DIR, the app\'s folder');
  return { file: files[0], out: values['--out'], force, ...(values['--namespace'] !== undefined ? { namespace: values['--namespace'] } : {}) };
}

async function runImportCompose(args: readonly string[], io: CommandIo): Promise<number> {
  const { file, out, namespace, force } = parseImportArguments(args);
  const result = importCompose(file, { out, namespace, force, cwd: io.cwd });
  const folder = path.resolve(io.cwd, out);
  for (const warning of result.warnings) io.err(`warning: ${formatWarning(warning)}`);
  for (const written of result.files) io.out(shownPath(path.join(folder, written.file), io.cwd));
  const synth = result.libraryModule === 'habr-k8s' ? 'npx habr-k8s synth' : 'npm run synth --';
  io.out(`imported ${file} into ${shownPath(folder, io.cwd)}: ${result.files.length} files, ${result.warnings.length} warnings; `
    + `synthesize with: ${synth} --app ${shownPath(path.join(folder, 'main.ts'), io.cwd)}`);
  return 0;
}

export const IMPORT_COMPOSE_COMMAND: CliCommand = {
  name: 'import compose',
  summary: 'write a typed app that uses the constructs from a docker-compose file',
  help: IMPORT_COMPOSE_HELP,
  run: runImportCompose,
};
