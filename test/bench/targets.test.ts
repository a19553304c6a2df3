import type { Summary } from '../../bench/measure';
import type { ResultRow } from '../../bench/report';
import { evaluateTargets, TargetLine, TargetScenarios, verdict } from '../../bench/targets';

const NAMES: TargetScenarios = {
  ours: 'ours', yamlFloor: 'yaml', jsonLine: 'json', synthCommand: 'synth', floorCommand: 'floor', validateCommand: 'validate',
};
const LAYOUT = { units: 10_000, chartSize: 50, growthFrom: 1000 };

function summary(wallMs: number, maxRssMb: number, work?: { buildMs: number; emitMs: number; validation?: number }): Summary {
  return {
    runs: 3, wallMs, maxRssKb: maxRssMb * 1024, buildMs: work?.buildMs, emitMs: work?.emitMs,
    phases: work?.validation === undefined ? undefined : { validation: work.validation },
  };
}

/** A whole --large run: our pipeline in charts of 1 and 50, the floors, the commands. */
function largeRun(ours10k: Summary, ours1k: Summary, synthMs = 1100): ResultRow[] {
  return [
    { scenario: 'floor', summary: summary(1000, 60) },
    { scenario: 'synth', summary: summary(synthMs, 120) },
    { scenario: 'validate', summary: summary(17_000, 127) },
    { scenario: 'yaml', units: 10_000, summary: summary(20_000, 158, { buildMs: 1000, emitMs: 19_000 }) },
    { scenario: 'json', units: 10_000, summary: summary(2500, 148, { buildMs: 1000, emitMs: 1000 }) },
    { scenario: 'ours', units: 10_000, chartSize: 1, summary: summary(99_999, 999, { buildMs: 1, emitMs: 1 }) },
    { scenario: 'ours', units: 10_000, chartSize: 50, summary: ours10k },
    { scenario: 'ours', units: 1000, chartSize: 50, summary: ours1k },
  ];
}

function line(lines: readonly TargetLine[], start: string): TargetLine {
  const found = lines.find((candidate) => candidate.target.startsWith(start));
  if (!found) throw new Error(`no target line starting with ${start}: ${lines.map((l) => l.target).join(', ')}`);
  return found;
}

describe('bench targets', () => {
  it('computes every ratio from the rows of our pipeline in charts of 50 and says which are met', () => {
    const lines = evaluateTargets(largeRun(summary(7000, 301, { buildMs: 2000, emitMs: 7000, validation: 2500 }), summary(1000, 120, { buildMs: 300, emitMs: 600 })), NAMES, LAYOUT);
    expect(line(lines, 'wall × yaml floor')).toMatchObject({ measured: '0.35×', limit: '≤ 0.4×', met: true });
    expect(line(lines, 'work × yaml floor')).toMatchObject({ measured: '0.45×', met: false });
    expect(line(lines, 'wall × JSON.stringify')).toMatchObject({ measured: '2.80×', limit: '≤ 4×', met: true });
    expect(line(lines, 'work × JSON.stringify')).toMatchObject({ measured: '4.50×', met: false });
    expect(line(lines, 'peak RSS')).toMatchObject({ measured: '301 MB', limit: '≤ 250 MB', met: false });
    expect(line(lines, 'work growth')).toMatchObject({ measured: '10.00×', limit: '9.00×–11.00×', met: true });
    expect(line(lines, 'npm run synth')).toMatchObject({ measured: '1.10×', limit: '≤ 1.2×', met: true });
    expect(line(lines, 'validate')).toMatchObject({ measured: '17000 ms, 127 MB', limit: 'reported' });
    expect(line(lines, 'validate').met).toBeUndefined();
    expect(line(lines, 'validate').detail).toContain('2500 ms');
    expect(lines.map(verdict)).toEqual(['met', 'NOT MET', 'met', 'NOT MET', 'NOT MET', 'met', 'met', '-']);
  });

  it('counts growth outside 10% either way as not linear', () => {
    const ours10k = summary(7000, 200, { buildMs: 2000, emitMs: 7000 });
    const sublinear = evaluateTargets(largeRun(ours10k, summary(1500, 100, { buildMs: 500, emitMs: 1300 })), NAMES, LAYOUT);
    expect(line(sublinear, 'work growth')).toMatchObject({ measured: '5.00×', met: false });
    // 1800 ms for 1000 units, 7200 ms more for the next 9000: a fixed cost, not a rising cost per unit.
    expect(line(sublinear, 'work growth').detail).toBe('9000 ms vs 1800 ms for 10× the units; 1800 µs per unit at 1000, 800 µs for each unit past it');
    const superlinear = evaluateTargets(largeRun(ours10k, summary(800, 100, { buildMs: 300, emitMs: 450 })), NAMES, LAYOUT);
    expect(line(superlinear, 'work growth')).toMatchObject({ measured: '12.00×', met: false });
    expect(line(superlinear, 'work growth').detail).toContain('750 µs per unit at 1000, 917 µs for each unit past it');
    expect(line(superlinear, 'peak RSS')).toMatchObject({ measured: '200 MB', met: true });
  });

  it('keeps the end-to-end limit exact: 1.21× is not met', () => {
    const lines = evaluateTargets(largeRun(summary(7000, 200), summary(1000, 100), 1210), NAMES, LAYOUT);
    expect(line(lines, 'npm run synth')).toMatchObject({ measured: '1.21×', met: false });
  });

  it('lists the targets a run without --large did not measure, instead of dropping them', () => {
    const rows = largeRun(summary(7000, 200), summary(1000, 100)).filter((row) => row.units !== 10_000 && row.scenario !== 'validate');
    const lines = evaluateTargets(rows, NAMES, LAYOUT);
    expect(lines).toHaveLength(8);
    expect(lines.map(verdict)).toEqual(['not measured', 'not measured', 'not measured', 'not measured', 'not measured', 'not measured', 'met', 'not measured']);
    expect(line(lines, 'peak RSS').detail).toMatch(/--large/);
  });
});
