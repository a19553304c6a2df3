import { Construct } from 'constructs';
import { ContainerDefaults } from './pod-template';
import { imageRuntimeNeeds, ImageRuntimeNeeds } from '../manifest/image-needs';
import { detachOnError, invalidProp } from './props';
import { StatefulAppBase, StatefulPresetProps } from './stateful-app';

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

const REDIS_IMAGE = 'redis:7.0.11-alpine';

/**
 * The official redis image's user, from the table of image needs (uid 999; group 1000 in the
 * alpine images, 999 in the Debian ones); started directly as that user it only writes its dump
 * to /data (its working directory). An image the table does not know (a mirror) is taken for the
 * default one.
 */
function redisNeeds(image: string): ImageRuntimeNeeds {
  return imageRuntimeNeeds(image) ?? imageRuntimeNeeds(REDIS_IMAGE)!;
}

export const REDIS_PORT = redisNeeds(REDIS_IMAGE).port!;

/** The defaults of a Redis container running `image`, with /data on a claim (`persistent`) or an emptyDir. */
export function redisDefaults(persistent: boolean, image: string = REDIS_IMAGE): ContainerDefaults {
  const needs = redisNeeds(image);
  return {
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    security: { runAsUser: needs.uid, runAsGroup: needs.gid, writablePaths: persistent ? needs.writablePaths : [...needs.writablePaths, needs.dataPath!] },
    liveness: { tcpSocket: {}, periodSeconds: 10, failureThreshold: 3 },
    readiness: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 5 },
  };
}

/** A single Redis server: StatefulSet and headless Service, /data on an emptyDir or a volume. */
@detachOnError
export class RedisStatefulSet extends StatefulAppBase {
  constructor(scope: Construct, id: string, props: RedisStatefulSetProps = {}) {
    const persistent = props.storage !== undefined;
    const image = props.image ?? REDIS_IMAGE;
    const dataPath = redisNeeds(image).dataPath!;
    super(scope, id, {
      ...props,
      name: props.name ?? 'redis',
      image,
      port: REDIS_PORT,
      portName: redisNeeds(image).portName,
      defaults: redisDefaults(persistent, image),
      volumeClaims: persistent ? [{ name: 'data', mountPath: dataPath, storage: props.storage!, storageClassName: props.storageClassName }] : [],
    });
    if (this.replicas !== 1) {
      throw invalidProp(this, 'replicas', this.replicas, 'must be 1: more pods would be independent Redis servers, not replicas');
    }
    if (props.storageClassName !== undefined && !persistent) {
      throw invalidProp(this, 'storageClassName', props.storageClassName, 'needs `storage`: without it /data is an emptyDir and no volume of that class is claimed');
    }
  }
}
