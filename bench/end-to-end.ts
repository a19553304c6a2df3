/**
 * `node scripts/run.js bench/end-to-end.ts [--runs=10]`: the demo's end-to-end `npm run synth`
 * against `npm run bench:floor` (npm plus loading cdk8s and cdk8s-plus-27), hyperfine-like: one
 * warm-up each, then `runs` runs of each, interleaved so that a change in the machine's load hits
 * both alike; medians, minima and their ratio.
 */
import { spawnSync } from 'child_process';
import { resolve } from 'path';
import { median } from './measure';

const PROJECT_ROOT = resolve(__dirname, '..');
const COMMANDS = { synth: ['npm', 'run', '--silent', 'synth'], floor: ['npm', 'run', '--silent', 'bench:floor'] } as const;
type Name = keyof typeof COMMANDS;

function runMs(name: Name): number {
  const [command, ...args] = COMMANDS[name];
  const start = process.hrtime.bigint();
  const outcome = spawnSync(command, args, { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (outcome.status !== 0) throw new Error(`npm run ${name} failed:\n${outcome.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function main(): void {
  const runs = Number(process.argv.find((arg) => arg.startsWith('--runs='))?.slice('--runs='.length) ?? 10);
  const samples: Record<Name, number[]> = { synth: [], floor: [] };
  runMs('synth');
  runMs('floor');
  for (let i = 0; i < runs; i++) {
    for (const name of (i % 2 === 0 ? ['synth', 'floor'] : ['floor', 'synth']) as Name[]) samples[name].push(runMs(name));
  }
  const row = (name: Name) => `${`npm run ${name === 'floor' ? 'bench:floor' : name}`.padEnd(20)} median ${median(samples[name]).toFixed(0).padStart(5)} ms  min ${Math.min(...samples[name]).toFixed(0).padStart(5)} ms`;
  console.log(`${runs} interleaved runs each, after one warm-up, node ${process.version}:`);
  console.log(row('synth'));
  console.log(row('floor'));
  console.log(`synth ÷ floor: median ${(median(samples.synth) / median(samples.floor)).toFixed(2)}×, min ${(Math.min(...samples.synth) / Math.min(...samples.floor)).toFixed(2)}×`);
}

main();
