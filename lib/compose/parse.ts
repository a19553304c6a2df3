import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import {
  ComposeFileGrant, ComposeFileSource, ComposeHealthcheck, ComposePort, ComposeProject, ComposeResources, ComposeService,
  ComposeVolumeMount, UnconvertedKey,
} from './model';
import { ComposeError, interpolate, parseDuration, splitCommand, Variables } from './values';

type Json = Record<string, unknown>;

/** Service keys read into the model; every other key is reported as not converted. */
const SERVICE_KEYS = new Set([
  'image', 'build', 'environment', 'entrypoint', 'command', 'ports', 'expose', 'depends_on', 'links', 'extra_hosts', 'healthcheck', 'volumes',
  'tmpfs', 'secrets', 'configs', 'deploy', 'labels', 'user', 'pull_policy', 'restart', 'read_only', 'cpus', 'mem_limit',
  'mem_reservation',
]);
const DEPLOY_KEYS = new Set(['replicas', 'resources']);
/** Top-level keys read into the model; `version` is obsolete and only informative. */
const TOP_LEVEL_KEYS = new Set(['version', 'name', 'services', 'volumes', 'secrets', 'configs']);

/**
 * Reads a compose file's text into a {@link ComposeProject}. `file` names the file in errors;
 * `folder`, the file's folder, gives the project its name without a `name:`, as compose does;
 * `variables` (its `.env` file) are what `${NAME}` references read.
 * Throws one {@link ComposeError} for anything that is not a valid compose file.
 */
export function parseCompose(text: string, file: string, folder = path.dirname(path.resolve(file)), variables: Variables = {}): ComposeProject {
  let document: unknown;
  try {
    document = parseYaml(text, { merge: true });
  } catch (error) {
    throw new ComposeError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const unsetVariables: { name: string; where: string }[] = [];
  const root = asMapping(interpolateAll(document, { file, variables, unset: unsetVariables }, ''), file, 'the file');
  const reader = new Reader(file);
  const services = reader.mapping(root.services, 'services');
  if (!Object.keys(services).length) throw new ComposeError(`${file}: services: must define at least one service`);

  const unconverted = Object.entries(root)
    .filter(([key]) => !TOP_LEVEL_KEYS.has(key) && !key.startsWith('x-'))
    .map(([key]) => ({ key }));
  const volumes = Object.fromEntries(Object.entries(reader.mapping(root.volumes ?? {}, 'volumes')).map(([name, definition]) => [
    name, { unconverted: Object.keys(reader.mapping(definition ?? {}, `volumes.${name}`)).map((key) => ({ key })) },
  ]));
  const project: ComposeProject = {
    name: projectName(root.name === undefined ? undefined : reader.string(root.name, 'name'), folder),
    services: Object.entries(services).map(([name, service]) => reader.service(name, service)),
    volumes,
    secrets: reader.fileSources(root.secrets, 'secrets'),
    configs: reader.fileSources(root.configs, 'configs'),
    unconverted,
    unsetVariables,
  };
  checkReferences(project, file);
  return project;
}

/** Compose's project name: lowercase letters, digits, "-" and "_", starting with a letter or digit. */
export function projectName(name: string | undefined, folder: string): string {
  const raw = name ?? path.basename(folder);
  const normalized = raw.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
  return normalized || 'compose';
}

interface Interpolation {
  readonly file: string;
  readonly variables: Variables;
  readonly unset: { name: string; where: string }[];
}

function interpolateAll(value: unknown, context: Interpolation, where: string): unknown {
  if (typeof value === 'string') {
    try {
      return interpolate(value, context.variables, ({ name }) => context.unset.push({ name, where: where || '(top level)' }));
    } catch (error) {
      if (error instanceof ComposeError) throw new ComposeError(`${context.file}: ${where || '(top level)'}: ${error.message}`);
      throw error;
    }
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolateAll(item, context, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateAll(item, context, where ? `${where}.${key}` : key)]));
  }
  return value;
}

function asMapping(value: unknown, file: string, field: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ComposeError(`${file}: ${field}: must be a mapping`);
  return value as Json;
}

/** Every service that `depends_on` names, and every secret and config a service uses, is defined. */
function checkReferences(project: ComposeProject, file: string): void {
  const names = new Set(project.services.map((s) => s.name));
  for (const service of project.services) {
    for (const { service: dependency } of service.dependsOn) {
      if (!names.has(dependency)) throw new ComposeError(`${file}: services.${service.name}.depends_on: "${dependency}" is not a service of the file`);
    }
    for (const { service: linked } of service.links) {
      if (!names.has(linked)) throw new ComposeError(`${file}: services.${service.name}.links: "${linked}" is not a service of the file`);
    }
    for (const [kind, defined] of [['secrets', project.secrets], ['configs', project.configs]] as const) {
      for (const grant of service[kind]) {
        if (!(grant.source in defined)) throw new ComposeError(`${file}: services.${service.name}.${kind}: "${grant.source}" is not defined under top-level ${kind}`);
      }
    }
    service.volumes.forEach((mount, i) => {
      const at = `services.${service.name}.volumes[${i}]`;
      const emptied = project.unsetVariables.filter((v) => v.where === at || v.where.startsWith(`${at}.`)).map((v) => `\${${v.name}}`);
      if (emptied.length && (mount.source === '' || mount.target === '')) {
        throw new ComposeError(`${file}: ${at}: ${[...new Set(emptied)].join(', ')} is not set, and compose makes it empty, leaving no volume ${mount.source === '' ? 'source' : 'target'}: `
          + 'set it in the .env file next to the compose file, or give it a default (${NAME:-value})');
      }
      if (mount.type === 'volume' && mount.source !== undefined && !(mount.source in project.volumes)) {
        throw new ComposeError(`${file}: ${at}: named volume "${mount.source}" is not defined under top-level volumes`);
      }
    });
  }
}

/** Reads compose's alternative forms into one; each wrong type is a ComposeError naming the field. */
class Reader {
  constructor(private readonly file: string) {}

  public service(name: string, value: unknown): ComposeService {
    const at = `services.${name}`;
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) this.fail(at, 'a service name is letters, digits, "_", "." and "-", starting with a letter or digit');
    const service = this.mapping(value ?? {}, at);
    const deploy = this.mapping(service.deploy ?? {}, `${at}.deploy`);
    const unconverted: UnconvertedKey[] = [
      ...Object.keys(service).filter((key) => !SERVICE_KEYS.has(key) && !key.startsWith('x-')).map((key) => ({ key, detail: describeValue(service[key]) })),
      ...Object.keys(deploy).filter((key) => !DEPLOY_KEYS.has(key)).map((key) => ({ key: `deploy.${key}`, detail: describeValue(deploy[key]) })),
    ];
    const image = service.image === undefined ? undefined : this.string(service.image, `${at}.image`);
    const build = service.build === undefined ? undefined : this.build(service.build, `${at}.build`, unconverted);
    if (image === undefined && build === undefined) this.fail(at, 'a service needs an `image` or a `build`');
    return {
      name,
      image,
      build,
      environment: this.environment(service.environment, `${at}.environment`),
      entrypoint: this.command(service.entrypoint, `${at}.entrypoint`),
      command: this.command(service.command, `${at}.command`),
      ports: this.list(service.ports, `${at}.ports`).map((port, i) => this.port(port, `${at}.ports[${i}]`)),
      expose: this.list(service.expose, `${at}.expose`).map((port, i) => this.exposed(port, `${at}.expose[${i}]`)),
      dependsOn: this.dependsOn(service.depends_on, `${at}.depends_on`),
      links: this.list(service.links, `${at}.links`).map((link, i) => {
        const [linked, alias] = this.string(link, `${at}.links[${i}]`).split(':');
        return { service: linked, alias: alias === undefined || alias === linked ? undefined : alias };
      }),
      extraHosts: this.extraHosts(service.extra_hosts, `${at}.extra_hosts`),
      healthcheck: service.healthcheck === undefined ? undefined : this.healthcheck(service.healthcheck, `${at}.healthcheck`, unconverted),
      volumes: this.list(service.volumes, `${at}.volumes`).map((mount, i) => this.volume(mount, `${at}.volumes[${i}]`)),
      tmpfs: (typeof service.tmpfs === 'string' ? [service.tmpfs] : this.list(service.tmpfs, `${at}.tmpfs`)).map((t, i) => this.string(t, `${at}.tmpfs[${i}]`).split(':')[0]),
      secrets: this.list(service.secrets, `${at}.secrets`).map((grant, i) => this.grant(grant, `${at}.secrets[${i}]`)),
      configs: this.list(service.configs, `${at}.configs`).map((grant, i) => this.grant(grant, `${at}.configs[${i}]`)),
      replicas: deploy.replicas === undefined ? undefined : this.integer(deploy.replicas, `${at}.deploy.replicas`, 0),
      resources: this.resources(service, deploy, at),
      labels: this.labels(service.labels, `${at}.labels`),
      user: service.user === undefined ? undefined : this.scalar(service.user, `${at}.user`),
      pullPolicy: service.pull_policy === undefined ? undefined : this.string(service.pull_policy, `${at}.pull_policy`),
      restart: service.restart === undefined ? undefined : this.string(service.restart, `${at}.restart`),
      readOnly: service.read_only === undefined ? undefined : this.boolean(service.read_only, `${at}.read_only`),
      unconverted,
    };
  }

  public fileSources(value: unknown, field: string): Record<string, ComposeFileSource> {
    return Object.fromEntries(Object.entries(this.mapping(value ?? {}, field)).map(([name, definition]) => {
      const at = `${field}.${name}`;
      const source = this.mapping(definition ?? {}, at);
      return [name, {
        file: source.file === undefined ? undefined : this.string(source.file, `${at}.file`),
        external: source.external === undefined ? false : Boolean(source.external),
        environment: source.environment === undefined ? undefined : this.string(source.environment, `${at}.environment`),
      }];
    }));
  }

  public mapping(value: unknown, field: string): Json {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(field, 'must be a mapping');
    return value as Json;
  }

  public string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, 'must be a string');
    return value as string;
  }

  private fail(field: string, problem: string): never {
    throw new ComposeError(`${this.file}: ${field}: ${problem}`);
  }

  private list(value: unknown, field: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(field, 'must be a list');
    return value as unknown[];
  }

  /** A string, number or boolean, as the string compose would use. */
  private scalar(value: unknown, field: string): string {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') this.fail(field, 'must be a string, number or boolean');
    return String(value);
  }

  private integer(value: unknown, field: string, min: number): number {
    const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min) this.fail(field, `must be an integer >= ${min}`);
    return number as number;
  }

  private boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean') this.fail(field, 'must be true or false');
    return value as boolean;
  }

  private build(value: unknown, field: string, unconverted: UnconvertedKey[]): ComposeService['build'] {
    if (typeof value === 'string') return { context: value };
    const build = this.mapping(value, field);
    for (const key of Object.keys(build)) {
      if (!['context', 'dockerfile', 'target'].includes(key)) unconverted.push({ key: `build.${key}`, detail: describeValue(build[key]) });
    }
    return {
      context: build.context === undefined ? '.' : this.string(build.context, `${field}.context`),
      dockerfile: build.dockerfile === undefined ? undefined : this.string(build.dockerfile, `${field}.dockerfile`),
      target: build.target === undefined ? undefined : this.string(build.target, `${field}.target`),
    };
  }

  private environment(value: unknown, field: string): [string, string | undefined][] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) {
      return value.map((entry, i) => {
        const text = this.string(entry, `${field}[${i}]`);
        const equals = text.indexOf('=');
        return equals < 0 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)];
      });
    }
    return Object.entries(this.mapping(value, field)).map(([name, item]) =>
      [name, item === null ? undefined : this.scalar(item, `${field}.${name}`)]);
  }

  private command(value: unknown, field: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') {
      const words = splitCommand(value);
      if (!words) this.fail(field, 'has an unterminated quote');
      return words;
    }
    return this.list(value, field).map((word, i) => this.scalar(word, `${field}[${i}]`));
  }

  private port(value: unknown, field: string): ComposePort {
    if (typeof value === 'number') return { target: this.portNumber(value, field), protocol: 'tcp' };
    if (typeof value === 'string') {
      // [host_ip:][published:]target[/protocol]; host IPs may be IPv6 in brackets.
      const match = /^(?:(?:\[[^\]]*\]|[^:]*):)??(?:([^:]*):)?([^:/]+)(?:\/(\w+))?$/.exec(value);
      if (!match) this.fail(field, `"${value}" is not a port mapping such as "8080:80" or "80/udp"`);
      return { target: this.portNumber(match![2], field), published: match![1] || undefined, protocol: match![3] ?? 'tcp', range: rangeOf(match![2]) };
    }
    const port = this.mapping(value, field);
    return {
      target: this.portNumber(port.target, `${field}.target`),
      published: port.published === undefined ? undefined : this.scalar(port.published, `${field}.published`),
      protocol: port.protocol === undefined ? 'tcp' : this.string(port.protocol, `${field}.protocol`),
    };
  }

  private exposed(value: unknown, field: string): ComposePort {
    const text = this.scalar(value, field);
    const [port, protocol] = text.split('/');
    return { target: this.portNumber(port, field), protocol: protocol ?? 'tcp', range: rangeOf(port) };
  }

  /** A port, or the first of a range (`3000-3005`; see {@link rangeOf}). */
  private portNumber(value: unknown, field: string): number {
    const text = String(value);
    const first = /^(\d+)(-\d+)?$/.exec(text);
    const port = first ? Number(first[1]) : NaN;
    if (!(port >= 1 && port <= 65535)) this.fail(field, `"${text}" is not a port from 1 to 65535`);
    return port;
  }

  /** `["name:ip", "name=ip"]` or `{ name: ip }`; an IPv6 address follows the first separator (`name:::1`). */
  private extraHosts(value: unknown, field: string): { host: string; ip: string }[] {
    if (value === undefined || value === null) return [];
    const entries = Array.isArray(value)
      ? value.map((entry, i) => {
        const text = this.string(entry, `${field}[${i}]`);
        const separator = /[=:]/.exec(text);
        if (!separator) this.fail(`${field}[${i}]`, `"${text}" is not "host:address" or "host=address"`);
        return [text.slice(0, separator!.index), text.slice(separator!.index + 1)];
      })
      : Object.entries(this.mapping(value, field)).map(([host, ip]) => [host, this.scalar(ip, `${field}.${host}`)]);
    return entries.map(([host, ip]) => ({ host, ip: ip.replace(/^\[(.*)\]$/, '$1') }));
  }

  private dependsOn(value: unknown, field: string): { service: string; condition: string }[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value.map((service, i) => ({ service: this.string(service, `${field}[${i}]`), condition: 'service_started' }));
    return Object.entries(this.mapping(value, field)).map(([service, options]) => {
      const condition = this.mapping(options ?? {}, `${field}.${service}`).condition;
      return { service, condition: condition === undefined ? 'service_started' : this.string(condition, `${field}.${service}.condition`) };
    });
  }

  private healthcheck(value: unknown, field: string, unconverted: UnconvertedKey[]): ComposeHealthcheck {
    const check = this.mapping(value, field);
    for (const key of Object.keys(check)) {
      if (!['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'].includes(key)) {
        unconverted.push({ key: `healthcheck.${key}`, detail: describeValue(check[key]) });
      }
    }
    const duration = (key: string) => {
      if (check[key] === undefined) return undefined;
      const seconds = parseDuration(this.string(check[key], `${field}.${key}`));
      if (seconds === undefined) this.fail(`${field}.${key}`, `"${check[key]}" is not a duration such as "30s" or "1m30s"`);
      return seconds;
    };
    const timing = {
      intervalSeconds: duration('interval'),
      timeoutSeconds: duration('timeout'),
      retries: check.retries === undefined ? undefined : this.integer(check.retries, `${field}.retries`, 1),
      startPeriodSeconds: duration('start_period'),
    };
    if (check.disable === true) return timing;
    const test = check.test;
    if (typeof test === 'string') return { ...timing, test: ['CMD-SHELL', test] };
    const words = this.list(test, `${field}.test`).map((word, i) => this.string(word, `${field}.test[${i}]`));
    if (words[0] === 'NONE') return timing;
    if (!['CMD', 'CMD-SHELL'].includes(words[0]) || words.length < 2) this.fail(`${field}.test`, 'must be a string, ["NONE"], or a list starting with "CMD" or "CMD-SHELL" and a command');
    return { ...timing, test: words };
  }

  private volume(value: unknown, field: string): ComposeVolumeMount {
    if (typeof value === 'string') {
      const [first, second, mode] = value.split(':');
      if (second === undefined) return { type: 'volume', target: first, readOnly: false };
      const bind = /^[./~]/.test(first);
      return { type: bind ? 'bind' : 'volume', source: first, target: second, readOnly: (mode ?? '').split(',').includes('ro') };
    }
    const mount = this.mapping(value, field);
    const type = this.string(mount.type ?? 'volume', `${field}.type`);
    if (!['volume', 'bind', 'tmpfs'].includes(type)) this.fail(`${field}.type`, `"${type}" is not a volume type the importer reads (volume, bind, tmpfs)`);
    return {
      type: type as ComposeVolumeMount['type'],
      source: mount.source === undefined ? undefined : this.string(mount.source, `${field}.source`),
      target: this.string(mount.target, `${field}.target`),
      readOnly: mount.read_only === true,
    };
  }

  private grant(value: unknown, field: string): ComposeFileGrant {
    if (typeof value === 'string') return { source: value };
    const grant = this.mapping(value, field);
    return {
      source: this.string(grant.source, `${field}.source`),
      target: grant.target === undefined ? undefined : this.string(grant.target, `${field}.target`),
    };
  }

  private resources(service: Json, deploy: Json, at: string): ComposeResources {
    const resources = this.mapping(deploy.resources ?? {}, `${at}.deploy.resources`);
    const side = (key: 'limits' | 'reservations') => {
      const values = this.mapping(resources[key] ?? {}, `${at}.deploy.resources.${key}`);
      return {
        cpus: values.cpus === undefined ? undefined : this.scalar(values.cpus, `${at}.deploy.resources.${key}.cpus`),
        memory: values.memory === undefined ? undefined : this.scalar(values.memory, `${at}.deploy.resources.${key}.memory`),
      };
    };
    const limits = side('limits');
    const reservations = side('reservations');
    const older = (key: string) => (service[key] === undefined ? undefined : this.scalar(service[key], `${at}.${key}`));
    return {
      limits: { cpus: limits.cpus ?? older('cpus'), memory: limits.memory ?? older('mem_limit') },
      reservations: { cpus: reservations.cpus, memory: reservations.memory ?? older('mem_reservation') },
    };
  }

  private labels(value: unknown, field: string): Record<string, string> {
    return Object.fromEntries(this.environment(value, field).map(([key, label]) => [key, label ?? '']));
  }
}

function rangeOf(port: string): string | undefined {
  return port.includes('-') ? port : undefined;
}

/** A short rendering of a value for a warning. */
function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
