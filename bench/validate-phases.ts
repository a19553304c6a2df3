/**
 * Where `validate` spends its time on a folder, in one process: reading the files, the schema check
 * of the target release, and the whole validation (schemas and rules). CPU milliseconds, so other
 * load on the machine inflates them less than wall time. Then the wall time of reading the folder
 * on one thread and on two (lib/manifest/parallel-read.ts, whatever the folder's size), each in a
 * fresh process, which is what decides PARALLEL_READ_MIN_BYTES. Printed as one JSON line.
 * usage: node scripts/run.js bench/validate-phases.ts <folder>
 *        node scripts/run.js bench/validate-phases.ts <folder> --read-wall=1|2
 */
import { startReadWorker } from '../lib/cli/read-worker';
import { readManifestFolder } from '../lib/manifest/load';
import { parallelFileReader } from '../lib/manifest/parallel-read';
import { validateObjects } from '../lib/validation';
import { checkSchema } from '../lib/validation/schema';

export interface ValidatePhases {
  readonly objects: number;
  readonly readMs: number;
  readonly schemaMs: number;
  readonly validateMs: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function timed<T>(work: () => T): [T, number] {
  const start = cpuMs();
  const result = work();
  return [result, cpuMs() - start];
}

/** The wall time of reading a folder in a fresh process, on one thread or two. */
export interface ReadWall {
  readonly threads: 1 | 2;
  readonly wallMs: number;
}

const readWall = process.argv.find((arg) => arg.startsWith('--read-wall='));
if (readWall) {
  const threads = readWall.endsWith('=2') ? 2 : 1;
  const start = process.hrtime.bigint();
  readManifestFolder(process.argv[2], threads === 2 ? { readFiles: parallelFileReader(startReadWorker, 0) } : {});
  const result: ReadWall = { threads, wallMs: Number(process.hrtime.bigint() - start) / 1e6 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const [folder, readMs] = timed(() => readManifestFolder(process.argv[2]));
  const [, schemaMs] = timed(() => checkSchema(folder.objects));
  const [, validateMs] = timed(() => validateObjects(folder.objects));
  const phases: ValidatePhases = { objects: folder.objects.length, readMs, schemaMs, validateMs };
  process.stdout.write(`${JSON.stringify(phases)}\n`);
}
