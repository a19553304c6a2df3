import { Construct } from 'constructs';
import { ContainerDefaults, mergeResources, ProbeProps, ResourceProps, SecretMount } from './pod-template';
import { parseQuantity } from '../manifest/quantity';
import { imageRuntimeNeeds } from '../manifest/image-needs';
import { checkDns1123Label, checkNonEmpty, detachOnError, invalidProp } from './props';
import { StatefulAppBase, StatefulPresetProps } from './stateful-app';

/** Where MongoDB's root password comes from: a key of an existing Secret, mounted as a file. @inline */
export interface MongoPasswordSecret {
  /** Name of the Secret (created out of band, e.g. `kubectl create secret generic`). @default 'mongodb-secret' */
  readonly secretName?: string;
  /** Key holding the password; it becomes the file name. @default 'password.txt' */
  readonly key?: string;
  /** Directory the Secret is mounted at. @default '/run/secrets/mongodb' */
  readonly mountPath?: string;
}

/** Props of a {@link MongoStatefulSet}. */
export interface MongoStatefulSetProps extends StatefulPresetProps {
  /** Base name: `<name>-statefulset`, `<name>-service`. @default 'mongodb' */
  readonly name?: string;
  /** @default 'mongo:6.0.6' */
  readonly image?: string;
  /** The root user created on first start. @default 'root' */
  readonly rootUsername?: string;
  /** The root password's Secret. @default - Secret `mongodb-secret`, key `password.txt`, at `/run/secrets/mongodb` */
  readonly passwordSecret?: MongoPasswordSecret;
  /** Size of the data volume. @default '1Gi' */
  readonly storage?: string;
  /** Storage class of the data volume. @default - the cluster's default */
  readonly storageClassName?: string;
  /** @default ['ReadWriteOnce'] */
  readonly accessModes?: readonly string[];
  /** Only 1 is supported: more pods would be independent databases, not a replica set. @default 1 */
  readonly replicas?: number;
  /**
   * WiredTiger's cache, in GB. mongod sizes it from the node's memory, not the container's limit,
   * and is then OOM-killed; this keeps it inside the limit.
   * @default - half of (memory limit − 1 GiB), at least 0.25, as mongod would on a host of that size
   */
  readonly wiredTigerCacheSizeGB?: number;
  /** Waits for the first start, which creates the root user while mongod listens on localhost only. @default - TCP, every 5 s, for up to 5 minutes */
  readonly startup?: ProbeProps;
}

const MONGO_IMAGE = 'mongo:6.0.6';
/** The table's entry for the official mongo image (lib/manifest/image-needs.ts): its user, port, data path and the paths it writes. */
const MONGO_NEEDS = imageRuntimeNeeds(MONGO_IMAGE)!;

export const MONGO_PORT = MONGO_NEEDS.port!;
export const MONGO_UID = MONGO_NEEDS.uid!;

/**
 * The official mongo image runs as its own user when started directly non-root; its entrypoint
 * writes a temporary config to /tmp, mongod its data to the /data/db volume (also the image's
 * HOME, where mongosh keeps its state), and /data/configdb is the image's other volume: all from
 * the table of image needs.
 */
export const MONGO_DEFAULTS: ContainerDefaults = {
  resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
  security: { runAsUser: MONGO_UID, runAsGroup: MONGO_NEEDS.gid, writablePaths: MONGO_NEEDS.writablePaths },
  liveness: { tcpSocket: {}, periodSeconds: 10, failureThreshold: 6 },
  readiness: { tcpSocket: {}, periodSeconds: 5 },
};

/**
 * A single MongoDB server: StatefulSet, headless Service, a data volume at /data/db, and the root
 * user whose password is read from an existing Secret mounted as a file.
 */
@detachOnError
export class MongoStatefulSet extends StatefulAppBase {
  /** The Secret mount clients need to read the same password file. */
  public readonly passwordSecretMount: SecretMount;
  /** Path of the password file, in this container and in clients that mount {@link passwordSecretMount}. */
  public readonly passwordFile: string;
  public readonly rootUsername: string;

  constructor(scope: Construct, id: string, props: MongoStatefulSetProps = {}) {
    const secret = mongoSecret(props.passwordSecret);
    const rootUsername = props.rootUsername ?? 'root';
    const cacheSizeGB = props.wiredTigerCacheSizeGB ?? defaultCacheSizeGB(mergeResources(MONGO_DEFAULTS.resources, props.resources));
    super(scope, id, {
      startup: { tcpSocket: {}, periodSeconds: 5, failureThreshold: 60 },
      ...props,
      // The entrypoint runs `mongod` with these when the first argument is an option.
      args: [...(props.args ?? []), '--wiredTigerCacheSizeGB', String(cacheSizeGB)],
      name: props.name ?? 'mongodb',
      image: props.image ?? MONGO_IMAGE,
      port: MONGO_PORT,
      portName: MONGO_NEEDS.portName,
      defaults: MONGO_DEFAULTS,
      env: {
        MONGO_INITDB_ROOT_USERNAME: rootUsername,
        MONGO_INITDB_ROOT_PASSWORD_FILE: secret.file,
        ...props.env,
      },
      secretMounts: [{ secretName: secret.secretName, mountPath: secret.mountPath }, ...(props.secretMounts ?? [])],
      volumeClaims: [{
        name: 'data',
        mountPath: MONGO_NEEDS.dataPath!,
        storage: props.storage ?? '1Gi',
        storageClassName: props.storageClassName,
        accessModes: props.accessModes,
      }],
    });
    checkNonEmpty(this, 'rootUsername', rootUsername);
    if (!(cacheSizeGB >= 0.25 && cacheSizeGB <= 10000)) {
      throw invalidProp(this, 'wiredTigerCacheSizeGB', cacheSizeGB, 'must be a number of GB from 0.25 (mongod\'s minimum) upwards');
    }
    checkDns1123Label(this, 'passwordSecret.secretName', secret.secretName);
    if (!/^[-._a-zA-Z0-9]+$/.test(secret.key)) {
      throw invalidProp(this, 'passwordSecret.key', secret.key, 'must be a Secret key: letters, digits, "-", "_" and "."');
    }
    if (this.replicas !== 1) {
      throw invalidProp(this, 'replicas', this.replicas, 'must be 1: this construct runs a standalone mongod, and more pods would be separate databases');
    }
    this.passwordSecretMount = { secretName: secret.secretName, mountPath: secret.mountPath };
    this.passwordFile = secret.file;
    this.rootUsername = rootUsername;
  }
}

/** What mongod would choose on a host with the container's memory limit: half of (RAM − 1 GiB), at least 0.25 GB. */
function defaultCacheSizeGB(resources: ResourceProps): number {
  const limit = resources.limits?.memory === undefined ? undefined : parseQuantity(resources.limits.memory);
  if (limit === undefined) return 0.25;
  const half = (limit / 2 ** 30 - 1) / 2;
  return Math.max(0.25, Math.round(half * 100) / 100);
}

function mongoSecret(secret: MongoPasswordSecret | undefined) {
  const secretName = secret?.secretName ?? 'mongodb-secret';
  const key = secret?.key ?? 'password.txt';
  const mountPath = secret?.mountPath ?? '/run/secrets/mongodb';
  return { secretName, key, mountPath, file: `${mountPath.replace(/\/$/, '')}/${key}` };
}
