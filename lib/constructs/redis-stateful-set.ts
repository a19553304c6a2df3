import { Construct } from 'constructs';
import { ContainerDefaults } from './pod-template';
import { runtimeOf } from '../manifest/images';
import { imageDefaults } from './database-preset';
import { detachOnError, invalidProp } from './props';
import { StatefulAppBase, StatefulPresetProps } from './stateful-app';
import { COMPONENT_LABEL } from './labels';

/** Props of a {@link RedisStatefulSet}. */
export interface RedisStatefulSetProps extends StatefulPresetProps {
  /** Base name: `<name>-statefulset`, `<name>-service`. @default 'redis' */
  readonly name?: string;
  /** The official redis image (or a mirror of it); its user and group come from the table of image needs. @default 'redis:7.0.11-alpine' */
  readonly image?: string;
  /** Keep /data on a persistent volume of this size; without it, data lives as long as the pod. @default - an emptyDir */
  readonly storage?: string;
  /** Storage class of the data volume; needs `storage`. @default - the cluster's default */
  readonly storageClassName?: string;
  /** Only 1 is supported: more pods would be independent servers, not replicas. @default 1 */
  readonly replicas?: number;
}

/** The default image. */
export const REDIS_IMAGE = 'redis:7.0.11-alpine';

/** The table's facts of the default image (lib/manifest/image-needs.ts). */
const REDIS = runtimeOf('redis', REDIS_IMAGE);

export const REDIS_PORT = REDIS.port;

/**
 * The official redis image's user is uid 999; started directly as that user it only writes its
 * dump to /data (its working directory), an emptyDir unless the data is persistent.
 */
export function redisDefaults(persistent: boolean): ContainerDefaults {
  const defaults = imageDefaults(REDIS, { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } }, {
    liveness: { tcpSocket: {}, periodSeconds: 10, failureThreshold: 3 },
    readiness: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 5 },
  });
  return { ...defaults, security: { ...defaults.security, writablePaths: persistent ? [] : [REDIS.dataPath] } };
}

/** A single Redis server: StatefulSet and headless Service, /data on an emptyDir or a volume. */
@detachOnError
export class RedisStatefulSet extends StatefulAppBase {
  constructor(scope: Construct, id: string, props: RedisStatefulSetProps = {}) {
    const persistent = props.storage !== undefined;
    const image = props.image ?? REDIS_IMAGE;
    super(scope, id, {
      ...props,
      name: props.name ?? 'redis',
      labels: { [COMPONENT_LABEL]: 'cache', ...props.labels },
      image,
      port: REDIS.port,
      portName: REDIS.portName,
      defaults: redisDefaults(persistent),
      volumeClaims: persistent ? [{ name: 'data', mountPath: REDIS.dataPath, storage: props.storage!, storageClassName: props.storageClassName }] : [],
    });
    if (this.replicas !== 1) {
      throw invalidProp(this, 'replicas', this.replicas, 'must be 1: more pods would be independent Redis servers, not replicas');
    }
    if (props.storageClassName !== undefined && !persistent) {
      throw invalidProp(this, 'storageClassName', props.storageClassName, 'needs `storage`: without it /data is an emptyDir and no volume of that class is claimed');
    }
  }
}
