import { Construct } from 'constructs';
import { ContainerDefaults } from './pod-template';
import { detachOnError, invalidProp } from './props';
import { StatefulAppBase, StatefulPresetProps } from './stateful-app';

/** Props of a {@link RedisStatefulSet}. */
export interface RedisStatefulSetProps extends StatefulPresetProps {
  /** Base name: `<name>-statefulset`, `<name>-service`. @default 'redis' */
  readonly name?: string;
  /** @default 'redis:7.0.11-alpine' */
  readonly image?: string;
  /** Keep /data on a persistent volume of this size; without it, data lives as long as the pod. @default - an emptyDir */
  readonly storage?: string;
  /** Storage class of the data volume; needs `storage`. @default - the cluster's default */
  readonly storageClassName?: string;
  /** Only 1 is supported: more pods would be independent servers, not replicas. @default 1 */
  readonly replicas?: number;
}

export const REDIS_PORT = 6379;

/**
 * The official redis alpine image's user is uid 999, group 1000; started directly as that user it
 * only writes its dump to /data (its working directory).
 */
export function redisDefaults(persistent: boolean): ContainerDefaults {
  return {
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    security: { runAsUser: 999, runAsGroup: 1000, writablePaths: persistent ? [] : ['/data'] },
    liveness: { tcpSocket: {}, periodSeconds: 10, failureThreshold: 3 },
    readiness: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 5 },
  };
}

/** A single Redis server: StatefulSet and headless Service, /data on an emptyDir or a volume. */
@detachOnError
export class RedisStatefulSet extends StatefulAppBase {
  constructor(scope: Construct, id: string, props: RedisStatefulSetProps = {}) {
    const persistent = props.storage !== undefined;
    super(scope, id, {
      ...props,
      name: props.name ?? 'redis',
      image: props.image ?? 'redis:7.0.11-alpine',
      port: REDIS_PORT,
      portName: 'redis',
      defaults: redisDefaults(persistent),
      volumeClaims: persistent ? [{ name: 'data', mountPath: '/data', storage: props.storage!, storageClassName: props.storageClassName }] : [],
    });
    if (this.replicas !== 1) {
      throw invalidProp(this, 'replicas', this.replicas, 'must be 1: more pods would be independent Redis servers, not replicas');
    }
    if (props.storageClassName !== undefined && !persistent) {
      throw invalidProp(this, 'storageClassName', props.storageClassName, 'needs `storage`: without it /data is an emptyDir and no volume of that class is claimed');
    }
  }
}
