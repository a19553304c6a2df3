/** Container ports as the kubelet and the endpoints controller resolve them. */
import { asArray, asRecord, Json } from '../manifest/objects';
import { IndexedObject, IndexedPodTemplate } from './rule';

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

/** The entry of `service`'s `spec.ports` that `port` names: by `port` number, or by `name` for a string. */
export function findServicePort(service: IndexedObject, port: unknown): Json | undefined {
  for (const raw of asArray(asRecord(service.object.spec)?.ports)) {
    const servicePort = asRecord(raw);
    if (servicePort && (typeof port === 'string' ? servicePort.name === port : servicePort.port === port)) return servicePort;
  }
  return undefined;
}

/**
 * The container port that traffic to `servicePort` reaches on the pods of `template`: its
 * `targetPort` (a number, or a name resolved on the serving containers as the endpoints controller
 * does; absent, the Service port itself) and its protocol; `undefined` for a name no container declares.
 */
export function targetContainerPort(template: IndexedPodTemplate, servicePort: Json): { port: number; protocol: string } | undefined {
  const protocol = typeof servicePort.protocol === 'string' ? servicePort.protocol : 'TCP';
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return { port: target, protocol };
  if (typeof target !== 'string') return undefined;
  for (const { container } of template.servingContainers) {
    const declared = declaredPorts(container).find((candidate) => candidate.name === target && candidate.protocol === protocol);
    if (declared && typeof declared.containerPort === 'number') return { port: declared.containerPort, protocol };
  }
  return undefined;
}
