/** A compose file as the importer understands it: every form normalized to one shape. */

/** A published or exposed container port (TCP unless `protocol` says otherwise). */
export interface ComposePort {
  /** The port inside the container: what other services connect to. */
  readonly target: number;
  /** The host port it is published on, when it is (`ports`, not `expose`). */
  readonly published?: string;
  readonly protocol: string;
  /** The whole range when the entry was one (`3000-3005`); `target` is its first port. */
  readonly range?: string;
}

/** One entry of a service's `volumes`. */
export interface ComposeVolumeMount {
  readonly type: 'volume' | 'bind' | 'tmpfs';
  /** Named volume or host path; none for an anonymous volume or a tmpfs. */
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/** `healthcheck`, with its durations in seconds. */
export interface ComposeHealthcheck {
  /** The command: `['CMD', …]`, `['CMD-SHELL', command]`, or none when disabled (`NONE`, `disable: true`). */
  readonly test?: readonly string[];
  readonly intervalSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly retries?: number;
  readonly startPeriodSeconds?: number;
}

/** A `secrets` or `configs` entry of a service: the top-level name and the file it becomes. */
export interface ComposeFileGrant {
  readonly source: string;
  /** As written: a path, or a file name (relative to /run/secrets for secrets). @default - see compose */
  readonly target?: string;
}

/** `deploy.resources` (and the older `cpus`, `mem_limit`, `mem_reservation`), as docker values. */
export interface ComposeResources {
  readonly limits: { readonly cpus?: string; readonly memory?: string };
  readonly reservations: { readonly cpus?: string; readonly memory?: string };
}

/** A key the importer read but does not convert, with what it said. */
export interface UnconvertedKey {
  readonly key: string;
  readonly detail?: string;
}

export interface ComposeService {
  readonly name: string;
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile?: string; readonly target?: string };
  /** In file order; a value is undefined when compose would take it from the shell. */
  readonly environment: readonly (readonly [string, string | undefined])[];
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  readonly ports: readonly ComposePort[];
  readonly expose: readonly ComposePort[];
  readonly dependsOn: readonly { readonly service: string; readonly condition: string }[];
  /** `links`: the service linked to, and the alias it was given (`db:database`). */
  readonly links: readonly { readonly service: string; readonly alias?: string }[];
  /** `extra_hosts`: a host name and the address it resolves to (`host-gateway` included as written). */
  readonly extraHosts: readonly { readonly host: string; readonly ip: string }[];
  readonly healthcheck?: ComposeHealthcheck;
  readonly volumes: readonly ComposeVolumeMount[];
  readonly tmpfs: readonly string[];
  readonly secrets: readonly ComposeFileGrant[];
  readonly configs: readonly ComposeFileGrant[];
  readonly replicas?: number;
  readonly resources: ComposeResources;
  readonly labels: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly pullPolicy?: string;
  readonly restart?: string;
  readonly readOnly?: boolean;
  readonly unconverted: readonly UnconvertedKey[];
}

/** A top-level `secrets` or `configs` definition. */
export interface ComposeFileSource {
  readonly file?: string;
  readonly external: boolean;
  /** For secrets: the environment variable holding the value. */
  readonly environment?: string;
}

export interface ComposeProject {
  /** `name:`, or the compose file's folder name, normalized as compose does. */
  readonly name: string;
  readonly services: readonly ComposeService[];
  /** Top-level named volumes, and what their definitions say that is not converted. */
  readonly volumes: Readonly<Record<string, { readonly unconverted: readonly UnconvertedKey[] }>>;
  readonly secrets: Readonly<Record<string, ComposeFileSource>>;
  readonly configs: Readonly<Record<string, ComposeFileSource>>;
  /** Top-level keys that are not converted. */
  readonly unconverted: readonly UnconvertedKey[];
  /** `${NAME}` references without a default, each replaced by an empty string, with where they were. */
  readonly unsetVariables: readonly { readonly name: string; readonly where: string }[];
}
