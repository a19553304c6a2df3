// npm run import:compose -- <docker-compose.yml> --out apps/<name> [--namespace <ns>] [--force]
// Writes a typed app (stages.ts, stack.ts, main.ts) that uses the constructs; prints one line per
// warning about what was not converted. A file that cannot be imported writes nothing.
import { formatWarning } from '../lib/compose/plan';
import { ComposeError, importCompose } from '../lib/compose/import';

const USAGE = 'usage: npm run import:compose -- <docker-compose.yml> --out apps/<name> [--namespace <namespace>] [--force]';

function main(args: readonly string[]): number {
  let file: string | undefined;
  let out: string | undefined;
  let namespace: string | undefined;
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--out') out = args[++i];
    else if (arg === '--namespace') namespace = args[++i];
    else if (arg === '--force') force = true;
    else if (arg.startsWith('-') || file !== undefined) {
      console.error(`import:compose: unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
      return 2;
    } else file = arg;
  }
  if (file === undefined || out === undefined) {
    console.error(USAGE);
    return 2;
  }
  try {
    const { files, warnings } = importCompose(file, { out, force, namespace });
    for (const warning of warnings) console.warn(`warning: ${formatWarning(warning)}`);
    for (const written of files) console.log(`${out}/${written.file}`);
    console.log(`imported ${file} into ${out}: ${files.length} files, ${warnings.length} warnings; synthesize with: node scripts/run.js ${out}/main.ts`);
    return 0;
  } catch (error) {
    if (!(error instanceof ComposeError)) throw error;
    console.error(`import:compose: ${error.message}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
