import { Construct } from 'constructs';
import { runtimeOf } from '../manifest/images';
import {
  databaseStatefulProps, DatabaseStorageProps, PasswordSecret, passwordSecretKeyCheck, resolvePasswordSecret, singleReplicaCheck,
} from './database-preset';
import { ProbeProps, ResourceProps, SecretMount } from './pod-template';
import { checkNonEmpty, detachOnError } from './props';
import { StatefulAppBase, StatefulPresetProps } from './stateful-app';

/** Props of a {@link PostgresStatefulSet}. */
export interface PostgresStatefulSetProps extends StatefulPresetProps, DatabaseStorageProps {
  /** Base name: `<name>-statefulset`, `<name>-service`. @default 'postgres' */
  readonly name?: string;
  /** The official image, or its alpine variant (whose user is uid 70). @default 'postgres:16.4' */
  readonly image?: string;
  /** The superuser created on first start (`POSTGRES_USER`). @default 'postgres' */
  readonly user?: string;
  /** The database created on first start (`POSTGRES_DB`). @default - the user's name, as the image does */
  readonly database?: string;
  /** The superuser's password Secret. @default - Secret `<name>-secret`, key `password`, at `/run/secrets/postgres` */
  readonly passwordSecret?: PasswordSecret;
  /** Only 1 is supported: more pods would be independent databases, not replicas. @default 1 */
  readonly replicas?: number;
  /** Waits for the first start, which runs initdb while the server listens on its socket only. @default - TCP, every 5 s, for up to 5 minutes */
  readonly startup?: ProbeProps;
}

/** The default image: PostgreSQL 16. */
export const POSTGRES_IMAGE = 'postgres:16.4';

/** What the server gets when `resources` says nothing. */
export const POSTGRES_DEFAULT_RESOURCES: ResourceProps = { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } };

/**
 * A single PostgreSQL server: StatefulSet, headless Service, a data volume, and the superuser whose
 * password is read from an existing Secret mounted as a file (`POSTGRES_PASSWORD_FILE`). It runs as
 * the image's own user (uid 999, 70 for the alpine images), with the socket folder
 * /var/run/postgresql and /tmp writable; the data lives one folder below the volume's root, which
 * may hold `lost+found` (initdb refuses a non-empty folder): `pgdata` up to 17, the image's own
 * `18/docker` from 18 on. Ready once `pg_isready`
 * answers on TCP, which the image's first-start server does not listen on.
 */
@detachOnError
export class PostgresStatefulSet extends StatefulAppBase {
  /** The Secret mount clients need to read the same password file. */
  public readonly passwordSecretMount: SecretMount;
  /** Path of the password file, in this container and in clients that mount {@link passwordSecretMount}. */
  public readonly passwordFile: string;
  /** The superuser. */
  public readonly user: string;
  /** The database created on first start. */
  public readonly database: string;

  constructor(scope: Construct, id: string, props: PostgresStatefulSetProps = {}) {
    const name = props.name ?? 'postgres';
    const image = props.image ?? POSTGRES_IMAGE;
    const runtime = runtimeOf('postgres', image);
    const secret = resolvePasswordSecret(props.passwordSecret, { secretName: `${name}-secret`, key: 'password', mountPath: '/run/secrets/postgres' });
    const user = props.user ?? 'postgres';
    const database = props.database ?? user;
    const readiness = { exec: { command: ['pg_isready', '-h', '127.0.0.1', '-p', String(runtime.port), '-U', user, '-d', database] }, periodSeconds: 5 };
    super(scope, id, {
      ...databaseStatefulProps(props, { name, image, runtime, resources: POSTGRES_DEFAULT_RESOURCES, readiness, secret }),
      env: {
        POSTGRES_USER: user,
        POSTGRES_DB: database,
        POSTGRES_PASSWORD_FILE: secret.file,
        ...runtime.env,
        ...props.env,
      },
      presetChecks: [
        (self) => checkNonEmpty(self, 'user', user),
        (self) => checkNonEmpty(self, 'database', database),
        passwordSecretKeyCheck(secret),
        singleReplicaCheck(props.replicas, 'PostgreSQL server'),
      ],
    });
    this.passwordSecretMount = secret.mount;
    this.passwordFile = secret.file;
    this.user = user;
    this.database = database;
  }
}
