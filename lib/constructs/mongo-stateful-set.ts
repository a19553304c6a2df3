import { Construct } from 'constructs';
import { mergeResources, ProbeProps, ResourceProps, SecretMount } from './pod-template';
import { runtimeOf } from '../manifest/images';
import { parseQuantity } from '../manifest/quantity';
import { checkNonEmpty, detachOnError, invalidProp } from './props';
import { StatefulAppBase, StatefulPresetProps } from './stateful-app';
import {
  databaseStatefulProps, DatabaseStorageProps, PasswordSecret, passwordSecretKeyCheck, resolvePasswordSecret, singleReplicaCheck,
} from './database-preset';

/** Where MongoDB's root password comes from. @default - Secret `mongodb-secret`, key `password.txt`, at `/run/secrets/mongodb` @inline */
export type MongoPasswordSecret = PasswordSecret;

/** Props of a {@link MongoStatefulSet}. */
export interface MongoStatefulSetProps extends StatefulPresetProps, DatabaseStorageProps {
  /** Base name: `<name>-statefulset`, `<name>-service`. @default 'mongodb' */
  readonly name?: string;
  /** @default 'mongo:6.0.6' */
  readonly image?: string;
  /** The root user created on first start. @default 'root' */
  readonly rootUsername?: string;
  /** The root password's Secret. @default - Secret `mongodb-secret`, key `password.txt`, at `/run/secrets/mongodb` */
  readonly passwordSecret?: MongoPasswordSecret;
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

/**
 * The official mongo image runs as its own user when started directly non-root; its entrypoint
 * writes a temporary config to /tmp, mongod its data to the /data/db volume (also the image's
 * HOME, where mongosh keeps its state), and /data/configdb is the image's other volume: all from
 * the table of image needs, which {@link databaseStatefulProps} makes the container's defaults.
 */
const MONGO = runtimeOf('mongo', 'mongo');
export const MONGO_PORT = MONGO.port;
export const MONGO_UID = MONGO.uid;

/** What the server gets when `resources` says nothing. */
export const MONGO_DEFAULT_RESOURCES: ResourceProps = { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } };

/** Ready once mongod accepts connections. */
const MONGO_READINESS: ProbeProps = { tcpSocket: {}, periodSeconds: 5 };

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
    const secret = resolvePasswordSecret(props.passwordSecret, { secretName: 'mongodb-secret', key: 'password.txt', mountPath: '/run/secrets/mongodb' });
    const rootUsername = props.rootUsername ?? 'root';
    const cacheSizeGB = props.wiredTigerCacheSizeGB ?? defaultCacheSizeGB(mergeResources(MONGO_DEFAULT_RESOURCES, props.resources));
    const server = { name: props.name ?? 'mongodb', image: props.image ?? 'mongo:6.0.6', runtime: MONGO, resources: MONGO_DEFAULT_RESOURCES, readiness: MONGO_READINESS, secret };
    super(scope, id, {
      ...databaseStatefulProps(props, server),
      // The entrypoint runs `mongod` with these when the first argument is an option.
      args: [...(props.args ?? []), '--wiredTigerCacheSizeGB', String(cacheSizeGB)],
      env: {
        MONGO_INITDB_ROOT_USERNAME: rootUsername,
        MONGO_INITDB_ROOT_PASSWORD_FILE: secret.file,
        ...props.env,
      },
      presetChecks: [
        (self) => checkNonEmpty(self, 'rootUsername', rootUsername),
        (self) => {
          if (!(cacheSizeGB >= 0.25 && cacheSizeGB <= 10000)) {
            throw invalidProp(self, 'wiredTigerCacheSizeGB', cacheSizeGB, 'must be a number of GB from 0.25 (mongod\'s minimum) upwards');
          }
        },
        passwordSecretKeyCheck(secret),
        singleReplicaCheck(props.replicas, 'mongod'),
      ],
    });
    this.passwordSecretMount = secret.mount;
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
