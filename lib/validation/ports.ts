/** Container ports as the kubelet and the endpoints controller resolve them. */
import { asArray, asRecord, Json } from '../manifest/objects';
import { IndexedPodTemplate } from './rule';

export interface DeclaredPort {
  readonly containerPort: unknown;
  readonly name: unknown;
  readonly protocol: string;
}

export function declaredPorts(container: Json): DeclaredPort[] {
  return asArray(container.ports).map((port) => {
    const record = asRecord(port) ?? {};
    return { containerPort: record.containerPort, name: record.name, protocol: typeof record.protocol === 'string' ? record.protocol : 'TCP' };
  });
}

/** Whether `port` (a number or a port name) is declared by the container (as {@link declaredPorts} reads them, without building the list). */
export function containerDeclaresPort(container: Json, port: unknown): boolean {
  const ports = container.ports;
  if (!Array.isArray(ports)) return false;
  const byName = typeof port === 'string';
  for (const raw of ports) {
    const record = asRecord(raw);
    const declared = record === undefined ? undefined : byName ? record.name : record.containerPort;
    if (declared === port) return true;
  }
  return false;
}

export function templateDeclaresPort(template: IndexedPodTemplate, port: unknown): boolean {
  return template.servingContainers.some((ref) => containerDeclaresPort(ref.container, port));
}

export function describePort(port: unknown): string {
  return typeof port === 'string' ? `named port "${port}"` : `port ${String(port)}`;
}
