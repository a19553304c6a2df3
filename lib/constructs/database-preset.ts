import { IConstruct } from 'constructs';
import { ImageRuntime } from '../manifest/images';
import { COMPONENT_LABEL } from './labels';
import { ContainerDefaults, ProbeProps, ResourceProps, SecretMount } from './pod-template';
import { invalidProp } from './props';
import { StatefulAppProps, StatefulPresetProps, VolumeClaimProps } from './stateful-app';

/**
 * What the database presets (MongoStatefulSet, PostgresStatefulSet, MysqlStatefulSet) share: a
 * password read from a key of an existing Secret mounted as a file, one data volume, one replica.
 */

/** Where a database's password comes from: a key of an existing Secret, mounted as a file. @inline */
export interface PasswordSecret {
  /** Name of the Secret (created out of band, e.g. `kubectl create secret generic`). @default - the preset's */
  readonly secretName?: string;
  /** Key holding the password; it becomes the file name. @default - the preset's */
  readonly key?: string;
  /** Directory the Secret is mounted at. @default - the preset's */
  readonly mountPath?: string;
}

/** A {@link PasswordSecret} with every field: the key, the Secret's mount (the server's, and what clients mount) and the path of the password file. */
export interface ResolvedPasswordSecret {
  readonly key: string;
  readonly mount: SecretMount;
  readonly file: string;
}

/** `given` over the preset's `defaults`, the Secret's mount, and the file the password is read from. */
export function resolvePasswordSecret(given: PasswordSecret | undefined, defaults: Required<PasswordSecret>): ResolvedPasswordSecret {
  const secretName = given?.secretName ?? defaults.secretName;
  const key = given?.key ?? defaults.key;
  const mountPath = given?.mountPath ?? defaults.mountPath;
  return { key, mount: { secretName, mountPath }, file: `${mountPath.replace(/\/$/, '')}/${key}` };
}

/**
 * A preset's check of its password Secret's key: the Secret's name and mount path are checked with
 * the other `secretMounts`, which the preset's mount is the first of.
 */
export function passwordSecretKeyCheck(secret: ResolvedPasswordSecret): (scope: IConstruct) => void {
  return (scope) => {
    if (!/^[-._a-zA-Z0-9]+$/.test(secret.key)) {
      throw invalidProp(scope, 'passwordSecret.key', secret.key, 'must be a Secret key: letters, digits, "-", "_" and "."');
    }
  };
}

/** The data volume of a database preset. */
export interface DatabaseStorageProps {
  /** Size of the data volume. @default '1Gi' */
  readonly storage?: string;
  /** Storage class of the data volume. @default - the cluster's default */
  readonly storageClassName?: string;
  /** @default ['ReadWriteOnce'] */
  readonly accessModes?: readonly string[];
}

/** The claim `data` mounted at `mountPath`. */
export function dataClaim(props: DatabaseStorageProps, mountPath: string): VolumeClaimProps {
  return { name: 'data', mountPath, storage: props.storage ?? '1Gi', storageClassName: props.storageClassName, accessModes: props.accessModes };
}

/** A preset's check that it runs one pod: more would be separate databases, not replicas. */
export function singleReplicaCheck(replicas: number | undefined, server: string): (scope: IConstruct) => void {
  return (scope) => {
    if ((replicas ?? 1) !== 1) {
      throw invalidProp(scope, 'replicas', replicas, `must be 1: this construct runs a standalone ${server}, and more pods would be separate databases`);
    }
  };
}

/** What a database preset decides: its name, image and the image's facts, its default resources and readiness, its password Secret. */
export interface DatabaseServer {
  readonly name: string;
  readonly image: string;
  readonly runtime: ImageRuntime;
  readonly resources: ResourceProps;
  readonly readiness: ProbeProps;
  readonly secret: ResolvedPasswordSecret;
}

/**
 * The StatefulApp props every database preset starts from: the user's props over a startup probe
 * that waits up to 5 minutes for the first start, then the server's name, image, port, the image's
 * user and writable folders, a TCP liveness probe, the password Secret's mount (before the user's
 * mounts), the data claim and the `database` component label (which the user's labels may change).
 */
export function databaseStatefulProps(props: StatefulPresetProps & DatabaseStorageProps, server: DatabaseServer): StatefulAppProps {
  const { runtime, secret } = server;
  return {
    startup: { tcpSocket: {}, periodSeconds: 5, failureThreshold: 60 },
    ...props,
    name: server.name,
    image: server.image,
    labels: { [COMPONENT_LABEL]: 'database', ...props.labels },
    port: runtime.port,
    portName: runtime.portName,
    defaults: imageDefaults(runtime, server.resources, { liveness: { tcpSocket: {}, periodSeconds: 10, failureThreshold: 6 }, readiness: server.readiness }),
    secretMounts: [secret.mount, ...(props.secretMounts ?? [])],
    volumeClaims: [dataClaim(props, runtime.dataPath)],
  };
}

/** The container defaults of an image the table knows: its own user and group, its writable folders, and `rest`. */
export function imageDefaults(runtime: ImageRuntime, resources: ResourceProps, rest: Pick<ContainerDefaults, 'liveness' | 'readiness'>): ContainerDefaults {
  return {
    resources,
    security: { runAsUser: runtime.uid, runAsGroup: runtime.gid, writablePaths: [...runtime.writablePaths] },
    ...rest,
  };
}
