/**
 * The targets of issue 17, evaluated on one benchmark run's rows: every target gets a line with
 * its measured value, the limit and whether it is met; a target whose rows were not measured in
 * the run (e.g. N = 10,000 without `--large`) says so instead of disappearing.
 */
import { ResultRow, workMs } from './report';

/** Our pipeline, the floors and the commands the targets compare (scenario names in scenarios.ts). */
export interface TargetScenarios {
  readonly ours: string;
  readonly yamlFloor: string;
  readonly jsonLine: string;
  readonly synthCommand: string;
  readonly floorCommand: string;
  readonly validateCommand: string;
}

/** Where the targets are measured. */
export interface TargetLayout {
  /** The N the ratio and memory targets are measured at. */
  readonly units: number;
  /** Units per chart of our pipeline for the targets. */
  readonly chartSize: number;
  /** The N the growth target starts from (it ends at `units`). */
  readonly growthFrom: number;
}

export interface TargetLine {
  readonly target: string;
  /** The measured value, e.g. `0.36×` or `301 MB`; empty when not measured. */
  readonly measured: string;
  readonly limit: string;
  /** Undefined when the run did not measure it, or for a line that only reports. */
  readonly met?: boolean;
  /** What the figure is made of, or why it is missing. */
  readonly detail: string;
}

/** Peak RSS limit of our pipeline, in MB. */
export const PEAK_RSS_LIMIT_MB = 250;
/** Same-run ratio limits at N = 10,000 in charts of 50. */
export const YAML_FLOOR_LIMIT = 0.4;
export const JSON_LIMIT = 4;
/** `npm run synth` of the demo ÷ `npm run bench:floor`. */
export const END_TO_END_LIMIT = 1.2;
/** Growth of work time from N to 10 N may differ from 10× by at most this share. */
export const GROWTH_TOLERANCE = 0.1;

function ratioText(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

function mb(kb: number): string {
  return `${(kb / 1024).toFixed(0)} MB`;
}

/**
 * What a growth figure is made of: the work per unit at the smaller N, and the work each further
 * unit added. Without a fixed cost they are equal; growth below the size factor is a fixed cost
 * the smaller run pays, growth above it a cost per unit that rises with N.
 */
function perUnitText(fromWork: number, toWork: number, fromUnits: number, toUnits: number): string {
  const perUnit = (1000 * fromWork) / fromUnits;
  const perFurtherUnit = (1000 * (toWork - fromWork)) / (toUnits - fromUnits);
  return `${perUnit.toFixed(0)} µs per unit at ${fromUnits}, ${perFurtherUnit.toFixed(0)} µs for each unit past it`;
}

function find(rows: readonly ResultRow[], scenario: string, units?: number, chartSize?: number): ResultRow | undefined {
  return rows.find((row) => row.scenario === scenario && row.units === units && (chartSize === undefined || row.chartSize === chartSize));
}

function notMeasured(target: string, limit: string, why: string): TargetLine {
  return { target, measured: '', limit, detail: `not measured: ${why}` };
}

function ratioLine(target: string, value: number | undefined, baseline: number | undefined, limit: number, detail: string, missing: string): TargetLine {
  if (value === undefined || baseline === undefined || !(baseline > 0)) return notMeasured(target, `≤ ${limit}×`, missing);
  const ratio = value / baseline;
  return { target, measured: ratioText(ratio), limit: `≤ ${limit}×`, met: ratio <= limit, detail };
}

/** Every target line of the run, in the order. */
export function evaluateTargets(rows: readonly ResultRow[], names: TargetScenarios, layout: TargetLayout): TargetLine[] {
  const { units, chartSize, growthFrom } = layout;
  const missing = `needs N = ${units} (npm run bench -- --large)`;
  const ours = find(rows, names.ours, units, chartSize)?.summary;
  const yamlFloor = find(rows, names.yamlFloor, units)?.summary;
  const json = find(rows, names.jsonLine, units)?.summary;
  const at = `N = ${units}, charts of ${chartSize}`;
  const lines: TargetLine[] = [
    ratioLine(`wall × yaml floor (${at})`, ours?.wallMs, yamlFloor?.wallMs, YAML_FLOOR_LIMIT,
      `${ours?.wallMs.toFixed(0)} ms vs ${yamlFloor?.wallMs.toFixed(0)} ms, spawn to exit`, missing),
    ratioLine(`work × yaml floor (${at})`, ours && workMs(ours), yamlFloor && workMs(yamlFloor), YAML_FLOOR_LIMIT,
      `build + emit: ${ours && workMs(ours)?.toFixed(0)} ms vs ${yamlFloor && workMs(yamlFloor)?.toFixed(0)} ms`, missing),
    ratioLine(`wall × JSON.stringify (${at})`, ours?.wallMs, json?.wallMs, JSON_LIMIT,
      `${ours?.wallMs.toFixed(0)} ms vs ${json?.wallMs.toFixed(0)} ms, spawn to exit`, missing),
    ratioLine(`work × JSON.stringify (${at})`, ours && workMs(ours), json && workMs(json), JSON_LIMIT,
      `build + emit: ${ours && workMs(ours)?.toFixed(0)} ms vs ${json && workMs(json)?.toFixed(0)} ms`, missing),
  ];
  const rssTarget = `peak RSS of our pipeline (${at})`;
  lines.push(ours && !Number.isNaN(ours.maxRssKb)
    ? { target: rssTarget, measured: mb(ours.maxRssKb), limit: `≤ ${PEAK_RSS_LIMIT_MB} MB`, met: ours.maxRssKb / 1024 <= PEAK_RSS_LIMIT_MB, detail: 'median of the runs\' peaks' }
    : notMeasured(rssTarget, `≤ ${PEAK_RSS_LIMIT_MB} MB`, missing));
  const growthTarget = `work growth N = ${growthFrom} → ${units} (charts of ${chartSize})`;
  const from = find(rows, names.ours, growthFrom, chartSize)?.summary;
  const factor = units / growthFrom;
  const growthLimit = `${ratioText(factor * (1 - GROWTH_TOLERANCE))}–${ratioText(factor * (1 + GROWTH_TOLERANCE))}`;
  const fromWork = from && workMs(from);
  const toWork = ours && workMs(ours);
  if (fromWork === undefined || toWork === undefined) {
    lines.push(notMeasured(growthTarget, growthLimit, missing));
  } else {
    const growth = toWork / fromWork;
    lines.push({
      target: growthTarget, measured: ratioText(growth), limit: growthLimit, met: Math.abs(growth / factor - 1) <= GROWTH_TOLERANCE,
      detail: `${toWork.toFixed(0)} ms vs ${fromWork.toFixed(0)} ms for ${factor}× the units; ${perUnitText(fromWork, toWork, growthFrom, units)}`,
    });
  }
  const synth = find(rows, names.synthCommand)?.summary;
  const floor = find(rows, names.floorCommand)?.summary;
  lines.push(ratioLine('npm run synth (demo, end to end) × npm run bench:floor', synth?.wallMs, floor?.wallMs, END_TO_END_LIMIT,
    `${synth?.wallMs.toFixed(0)} ms vs ${floor?.wallMs.toFixed(0)} ms`, 'both commands run in every bench'));
  const validate = find(rows, names.validateCommand)?.summary;
  const validationTarget = `${names.validateCommand}, beside the synth's validation phase`;
  lines.push(validate && ours?.phases?.validation !== undefined
    ? {
      target: validationTarget, measured: `${validate.wallMs.toFixed(0)} ms, ${mb(validate.maxRssKb)}`, limit: 'reported',
      detail: `synth's validation phase of the same units in memory: ${ours.phases.validation.toFixed(0)} ms (its process: ${mb(ours.maxRssKb)})`,
    }
    : notMeasured(validationTarget, 'reported', 'needs npm run bench -- --large'));
  return lines;
}

/** `met`, `NOT MET` or `not measured`, for the table. */
export function verdict(line: TargetLine): string {
  if (line.met === undefined) return line.measured === '' ? 'not measured' : '-';
  return line.met ? 'met' : 'NOT MET';
}
