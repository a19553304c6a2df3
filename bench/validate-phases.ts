/**
 * Where `validate` spends its time on a folder, in one process: reading the files, the schema check
 * of the target release, and the whole validation (schemas and rules). CPU milliseconds, so other
 * load on the machine inflates them less than wall time. Printed as one JSON line.
 * usage: node scripts/run.js bench/validate-phases.ts <folder>
 */
import { readManifestFolder } from '../lib/manifest/load';
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

const [folder, readMs] = timed(() => readManifestFolder(process.argv[2]));
const [, schemaMs] = timed(() => checkSchema(folder.objects));
const [, validateMs] = timed(() => validateObjects(folder.objects));
const phases: ValidatePhases = { objects: folder.objects.length, readMs, schemaMs, validateMs };
process.stdout.write(`${JSON.stringify(phases)}\n`);
