/** Container ports as the kubelet and the endpoints controller resolve them. */
import { asArray, asRecord, Json } from './objects';
import { ContainerRef, IndexedPodTemplate } from './rule';

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

/** Whether `port` (a number or a port name) is declared by the container. */
export function containerDeclaresPort(container: Json, port: unknown): boolean {
  return declaredPorts(container).some((declared) =>
    typeof port === 'string' ? declared.name === port : declared.containerPort === port);
}

/** Regular containers and sidecars (init containers with `restartPolicy: Always`): the ones that keep running. */
export function servingContainers(template: IndexedPodTemplate): ContainerRef[] {
  return template.containers.filter((ref) => !ref.isInit || ref.container.restartPolicy === 'Always');
}

export function templateDeclaresPort(template: IndexedPodTemplate, port: unknown): boolean {
  return servingContainers(template).some((ref) => containerDeclaresPort(ref.container, port));
}

export function describePort(port: unknown): string {
  return typeof port === 'string' ? `named port "${port}"` : `port ${String(port)}`;
}
