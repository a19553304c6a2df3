import { Construct } from 'constructs';
import { parseImageReference, runtimeOf } from '../manifest/images';
import {
  databaseStatefulProps, DatabaseStorageProps, PasswordSecret, passwordSecretKeyCheck, resolvePasswordSecret, singleReplicaCheck,
} from './database-preset';
import { ProbeProps, ResourceProps, SecretMount } from './pod-template';
import { checkNonEmpty, checkOneOf, detachOnError, invalidProp } from './props';
import { StatefulAppBase, StatefulPresetProps } from './stateful-app';

/** The servers a MysqlStatefulSet runs: Oracle's MySQL or MariaDB, both from their official images. @inline */
export type MysqlFlavour = 'mysql' | 'mariadb';

/** Props of a {@link MysqlStatefulSet}. */
export interface MysqlStatefulSetProps extends StatefulPresetProps, DatabaseStorageProps {
  /**
   * MySQL or MariaDB: their images differ in the variables' prefix, the socket folder and the
   * health check they ship.
   * @default - 'mariadb' when the image is named mariadb, else 'mysql'
   */
  readonly flavour?: MysqlFlavour;
  /** Base name: `<name>-statefulset`, `<name>-service`. @default - the flavour ('mysql' or 'mariadb') */
  readonly name?: string;
  /** The official image of the flavour. @default 'mysql:8.4.3' or 'mariadb:11.4.4' */
  readonly image?: string;
  /** The database created on first start (`MYSQL_DATABASE`, `MARIADB_DATABASE`). @default - none */
  readonly database?: string;
  /** The root password's Secret. @default - Secret `<name>-secret`, key `password`, at `/run/secrets/<flavour>` */
  readonly passwordSecret?: PasswordSecret;
  /** Only 1 is supported: more pods would be independent databases, not replicas. @default 1 */
  readonly replicas?: number;
  /** Waits for the first start, which initializes the data while the server listens on its socket only. @default - TCP, every 5 s, for up to 5 minutes */
  readonly startup?: ProbeProps;
}

/** The default images of each flavour: MySQL 8.4 LTS and MariaDB 11.4 LTS. */
export const MYSQL_IMAGES: Readonly<Record<MysqlFlavour, string>> = { mysql: 'mysql:8.4.3', mariadb: 'mariadb:11.4.4' };

const FLAVOURS: readonly MysqlFlavour[] = ['mysql', 'mariadb'];

/** What the server gets when `resources` says nothing. */
export const MYSQL_DEFAULT_RESOURCES: ResourceProps = { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } };

/** What differs between the two images. */
const FLAVOUR_SETTINGS: Readonly<Record<MysqlFlavour, { readonly envPrefix: string; readonly server: string; readonly readiness: readonly string[] }>> = {
  // `mysqladmin ping` exits 0 once the server answers, even with "access denied"; on TCP, which the
  // entrypoint's first-start server (--skip-networking) does not listen on.
  mysql: { envPrefix: 'MYSQL', server: 'MySQL server', readiness: ['mysqladmin', 'ping', '-h', '127.0.0.1', '--silent'] },
  // The image's own check, with the user the entrypoint creates for it on first start.
  mariadb: { envPrefix: 'MARIADB', server: 'MariaDB server', readiness: ['healthcheck.sh', '--connect', '--innodb_initialized'] },
};

/**
 * A single MySQL or MariaDB server: StatefulSet, headless Service, a data volume at /var/lib/mysql,
 * and the root user whose password is read from an existing Secret mounted as a file
 * (`MYSQL_ROOT_PASSWORD_FILE`, `MARIADB_ROOT_PASSWORD_FILE`). One construct for both: they share
 * the protocol, the port, the data folder and the entrypoint's conventions, and differ only in
 * what `flavour` selects. It runs as the image's own user (uid 999) with the socket
 * folder and /tmp writable. MySQL keeps its data in `data` one folder below the volume's root,
 * which may hold `lost+found` (`mysqld --initialize` refuses a non-empty folder); MariaDB's
 * installer accepts it, and its health check reads the volume's root.
 */
@detachOnError
export class MysqlStatefulSet extends StatefulAppBase {
  public readonly flavour: MysqlFlavour;
  /** The Secret mount clients need to read the same password file. */
  public readonly passwordSecretMount: SecretMount;
  /** Path of the password file, in this container and in clients that mount {@link passwordSecretMount}. */
  public readonly passwordFile: string;

  constructor(scope: Construct, id: string, props: MysqlStatefulSetProps = {}) {
    const imageName = props.image === undefined ? undefined : parseImageReference(props.image).name;
    const flavour = props.flavour ?? (imageName === 'mariadb' ? 'mariadb' : 'mysql');
    const settings = FLAVOUR_SETTINGS[flavour] ?? FLAVOUR_SETTINGS.mysql;
    const name = props.name ?? flavour;
    const image = props.image ?? MYSQL_IMAGES[flavour] ?? MYSQL_IMAGES.mysql;
    const runtime = runtimeOf(flavour === 'mariadb' ? 'mariadb' : 'mysql', image);
    const secret = resolvePasswordSecret(props.passwordSecret, { secretName: `${name}-secret`, key: 'password', mountPath: `/run/secrets/${flavour}` });
    const prefix = settings.envPrefix;
    const readiness = { exec: { command: [...settings.readiness] }, periodSeconds: 5 };
    super(scope, id, {
      ...databaseStatefulProps(props, { name, image, runtime, resources: MYSQL_DEFAULT_RESOURCES, readiness, secret }),
      // The entrypoint runs `mysqld` with these when the first argument is an option.
      args: flavour === 'mysql' ? [`--datadir=${runtime.dataPath}/data`, ...(props.args ?? [])] : props.args,
      env: {
        [`${prefix}_ROOT_PASSWORD_FILE`]: secret.file,
        ...(props.database === undefined ? {} : { [`${prefix}_DATABASE`]: props.database }),
        ...props.env,
      },
      presetChecks: [
        (self) => checkOneOf(self, 'flavour', flavour, FLAVOURS),
        (self) => {
          if (imageName !== undefined && FLAVOURS.includes(imageName as MysqlFlavour) && imageName !== flavour) {
            throw invalidProp(self, 'image', props.image, `must be a ${flavour} image for flavour "${flavour}" (or set flavour "${imageName}"): the images differ in their variables and health checks`);
          }
        },
        (self) => props.database !== undefined && checkNonEmpty(self, 'database', props.database),
        passwordSecretKeyCheck(secret),
        singleReplicaCheck(props.replicas, settings.server),
      ],
    });
    this.flavour = flavour;
    this.passwordSecretMount = secret.mount;
    this.passwordFile = secret.file;
  }
}
