/** Plain-text rendering of benchmark results. */
import type { Summary } from './measure';

export interface ResultRow {
  readonly scenario: string;
  /** Undefined for fixed-size scenarios (commands, fixed stacks). */
  readonly units?: number;
  /** Units per chart, for scaled app scenarios. */
  readonly chartSize?: number;
  readonly summary: Summary;
}

/** Columns are right-aligned except the first. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  const formatRow = (row: readonly string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [formatRow(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(formatRow)].join('\n');
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

export function formatMb(kb: number): string {
  return Number.isNaN(kb) ? '?' : (kb / 1024).toFixed(0);
}

/** `value / baseline` as e.g. `0.12×`, empty when either is missing. */
export function formatRatio(value: number | undefined, baseline: number | undefined): string {
  if (value === undefined || baseline === undefined || baseline === 0 || Number.isNaN(value / baseline)) return '';
  const ratio = value / baseline;
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}

export function workMs(summary: Summary): number | undefined {
  return summary.buildMs === undefined || summary.emitMs === undefined ? undefined : summary.buildMs + summary.emitMs;
}
