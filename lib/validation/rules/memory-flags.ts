import { asArray, asRecord } from '../../manifest/objects';
import { ContainerRef, finding, findingsOf, IndexedPodTemplate, NO_FINDINGS, ObjectIndex, Rule } from '../rule';
import { Finding } from '../../manifest/types';
import { parseQuantity } from '../../manifest/quantity';
import { memoryFlagsAboveLimit } from '../../manifest/memory-flags';

function checkContainer(template: IndexedPodTemplate, ref: ContainerRef): readonly Finding[] {
  const limit = asRecord(asRecord(ref.container.resources)?.limits)?.memory;
  if (typeof limit !== 'string' && typeof limit !== 'number') return NO_FINDINGS;
  const limitBytes = parseQuantity(limit);
  if (limitBytes === undefined || limitBytes <= 0) return NO_FINDINGS;
  const env = asArray(ref.container.env).map((variable) => {
    const record = asRecord(variable);
    return [String(record?.name), record?.value] as const;
  });
  const above = memoryFlagsAboveLimit({ command: asArray(ref.container.command), args: asArray(ref.container.args), env }, String(limit), limitBytes);
  return above.map(({ flag, message }) => {
    const path = flag.where.field === 'env' ? `${ref.path}.env[${flag.where.index}].value` : `${ref.path}.${flag.where.field}`;
    return finding(memoryFlags, template.owner, path, `container ${String(ref.container.name)}: ${message}`);
  });
}

export const memoryFlags: Rule = {
  id: 'memory-flags',
  summary: 'A JVM heap (`-Xmx` or `-XX:MaxHeapSize=` in args or `JAVA_OPTS`, `ES_JAVA_OPTS`, …), Node\'s `--max-old-space-size` or Redis\' `--maxmemory` stays within the container\'s memory limit.',
  breaks: 'The process is allowed to grow past the memory limit: the kernel OOM-kills the container, which restarts and is killed again under load.',
  apiServer: 'accepts',
  check: (index: ObjectIndex) => findingsOf(index.podTemplates, (template) => findingsOf(template.containers, (ref) => checkContainer(template, ref))),
};
