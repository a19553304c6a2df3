import { asRecord } from '../../manifest/objects';
import { ContainerRef, finding, findingsOf, IndexedPodTemplate, NO_FINDINGS, ObjectIndex, Rule } from '../rule';
import { Finding } from '../../manifest/types';

/**
 * A unitless CPU of 10 or more is taken for millicores written without `m` (`cpu: '500'` is 500
 * cores): nobody asks for 10m… 9m, and 8 whole cores is a real request on a large node.
 */
export const UNITLESS_CPU_THRESHOLD = 10;
/** A unitless memory below 1 MiB is taken for MiB written without `Mi` (`memory: '256'` is 256 bytes): no process runs in less. */
export const UNITLESS_MEMORY_THRESHOLD = 2 ** 20;

const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;

function unitlessValue(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  return typeof raw === 'string' && PLAIN_NUMBER.test(raw) ? Number(raw) : undefined;
}

function checkContainer(template: IndexedPodTemplate, ref: ContainerRef): readonly Finding[] {
  const resources = asRecord(ref.container.resources);
  if (!resources) return NO_FINDINGS;
  const findings: Finding[] = [];
  for (const kind of ['requests', 'limits'] as const) {
    const quantities = asRecord(resources[kind]);
    const cpu = unitlessValue(quantities?.cpu);
    if (cpu !== undefined && cpu >= UNITLESS_CPU_THRESHOLD) {
      findings.push(finding(unitlessQuantities, template.owner, `${ref.path}.resources.${kind}.cpu`,
        `${kind}.cpu of container ${String(ref.container.name)}: cpu: ${String(quantities!.cpu)} means ${cpu} cores; did you mean ${cpu}m? `
        + `(A CPU without a unit counts whole cores; write "${cpu}m" for millicores, or "${cpu * 1000}m" to keep ${cpu} cores without this warning.)`,
        { severity: 'warning' }));
    }
    const memory = unitlessValue(quantities?.memory);
    if (memory !== undefined && memory < UNITLESS_MEMORY_THRESHOLD) {
      findings.push(finding(unitlessQuantities, template.owner, `${ref.path}.resources.${kind}.memory`,
        `${kind}.memory of container ${String(ref.container.name)}: memory: ${String(quantities!.memory)} means ${memory} bytes; did you mean ${memory}Mi? `
        + '(A memory without a unit counts bytes; no process runs in less than 1Mi.)',
        { severity: 'warning' }));
    }
  }
  return findings;
}

export const unitlessQuantities: Rule = {
  id: 'unitless-quantities',
  summary: `CPU and memory written without a unit where the number reads as another unit: a CPU of ${UNITLESS_CPU_THRESHOLD} or more (cores, not millicores), a memory below 1Mi (bytes) (warnings).`,
  breaks: 'A request of 500 cores is never scheduled; a memory limit of 256 bytes kills the container at start.',
  apiServer: 'accepts',
  check: (index: ObjectIndex) => findingsOf(index.podTemplates, (template) => findingsOf(template.containers, (ref) => checkContainer(template, ref))),
};
