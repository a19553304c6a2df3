/** Runs a command in a fresh child process and reports its wall time and peak memory. */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { RenderPhases } from '../lib/render/synthesize';
import type { ChildResult } from './child';

export interface Sample {
  readonly wallMs: number;
  /** The largest peak RSS among the node processes the command started (npm, node, ...). */
  readonly maxRssKb: number;
  /** Set when the command is child.ts, which reports what it did. */
  readonly child?: ChildResult;
}

export interface RunOptions {
  readonly cwd: string;
  /** The compiled usage-preload.ts. */
  readonly usagePreload: string;
}

let runCounter = 0;

export function runOnce(argv: readonly string[], options: RunOptions): Sample {
  const usageFile = join(tmpdir(), `bench-usage-${process.pid}-${++runCounter}.jsonl`);
  const env = {
    ...process.env,
    BENCH_USAGE_FILE: usageFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${options.usagePreload}`.trim(),
  };
  const start = process.hrtime.bigint();
  const outcome = spawnSync(argv[0], argv.slice(1), { cwd: options.cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  try {
    if (outcome.status !== 0) {
      throw new Error(`${argv.join(' ')} failed (${outcome.status ?? outcome.signal}):\n${outcome.stderr}`);
    }
    return { wallMs, maxRssKb: readPeakRssKb(usageFile), child: parseChildResult(outcome.stdout) };
  } finally {
    rmSync(usageFile, { force: true });
  }
}

function readPeakRssKb(usageFile: string): number {
  if (!existsSync(usageFile)) return NaN;
  const lines = readFileSync(usageFile, 'utf8').split('\n').filter(Boolean);
  return Math.max(...lines.map((line) => (JSON.parse(line) as { maxRssKb: number }).maxRssKb));
}

function parseChildResult(stdout: string): ChildResult | undefined {
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  return lastLine.startsWith('{"buildMs"') ? (JSON.parse(lastLine) as ChildResult) : undefined;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface Summary {
  readonly runs: number;
  readonly wallMs: number;
  readonly maxRssKb: number;
  readonly buildMs?: number;
  readonly emitMs?: number;
  readonly documents?: number;
  readonly bytes?: number;
  /** Medians of our pipeline's phases. */
  readonly phases?: RenderPhases;
}

/** Medians of `runs` runs after `warmups` discarded runs (which warm the OS file cache). */
export function measure(argv: readonly string[], runs: number, warmups: number, options: RunOptions): Summary {
  for (let i = 0; i < warmups; i++) runOnce(argv, options);
  const samples = Array.from({ length: runs }, () => runOnce(argv, options));
  const children = samples.map((sample) => sample.child).filter((child): child is ChildResult => child !== undefined);
  const childMedian = (pick: (child: ChildResult) => number) =>
    children.length === samples.length ? median(children.map(pick)) : undefined;
  return {
    runs,
    wallMs: median(samples.map((sample) => sample.wallMs)),
    maxRssKb: median(samples.map((sample) => sample.maxRssKb)),
    buildMs: childMedian((child) => child.buildMs),
    emitMs: childMedian((child) => child.emitMs),
    documents: children[0]?.documents,
    bytes: children[0]?.bytes,
    phases: children[0]?.phases && {
      objects: childMedian((child) => child.phases?.objects ?? NaN),
      validation: childMedian((child) => child.phases?.validation ?? NaN),
      yaml: childMedian((child) => child.phases?.yaml ?? NaN),
    },
  };
}
