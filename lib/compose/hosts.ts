/**
 * Which services a service connects to, as far as the compose file says: its `depends_on`, its
 * `links`, and environment values that name another service as a host (`DB_HOST=db:5432`,
 * `WORDPRESS_DB_HOST=db`, `mongodb://mongo:27017`). Each becomes a NetworkPolicy edge, on the
 * named port or on every port of the server.
 */
import { ComposeProject, ComposeService } from './model';

/** One reason for `client` to connect to `server`. */
export interface HostReference {
  readonly client: string;
  readonly server: string;
  /** The port named with the host (`db:5432`, `redis://cache:6379`); none means every port of the server. */
  readonly port?: number;
  /** Where the client names the server: `depends_on`, `links`, or `environment.<KEY>`. */
  readonly where: string;
}

/** Environment keys whose value is a host, or a list of hosts, even without a port or a scheme. */
const HOST_KEY = /HOST|ADDR|URL|URI|SERVER|ENDPOINT|DSN|BROKER|NODES|PEERS|CONNECT/i;
/** Characters of a host name; a service name counts as a host only between two other characters. */
const HOST_CHARACTER = /[A-Za-z0-9_.-]/;

/** Every host reference of the project's services, in file order; a service never references itself. */
export function hostReferences(project: ComposeProject): HostReference[] {
  const names = project.services.map((s) => s.name);
  return project.services.flatMap((service) => [
    ...service.dependsOn.map((d) => ({ client: service.name, server: d.service, where: 'depends_on' })),
    ...service.links.map((l) => ({ client: service.name, server: l.service, where: 'links' })),
    ...environmentReferences(service, names),
  ].filter((reference) => reference.server !== service.name));
}

function environmentReferences(service: ComposeService, names: readonly string[]): HostReference[] {
  const references: HostReference[] = [];
  for (const [key, value] of service.environment) {
    if (value === undefined) continue;
    for (const server of names) {
      for (const found of hostsIn(value, server)) {
        // A bare word (`POSTGRES_USER=postgres`) is a host only under a key that says so.
        if (found.port !== undefined || found.inUrl || HOST_KEY.test(key)) {
          references.push({ client: service.name, server, port: found.port, where: `environment.${key}` });
        }
      }
    }
  }
  return references;
}

/** Where `host` stands as a whole host name in `value`, with the port after it and whether it follows `//` or `@`. */
function hostsIn(value: string, host: string): { port?: number; inUrl: boolean }[] {
  const found: { port?: number; inUrl: boolean }[] = [];
  let index = value.indexOf(host);
  while (index >= 0) {
    const before = value[index - 1];
    const after = value.slice(index + host.length);
    const port = /^:(\d{1,5})(?![0-9])/.exec(after);
    const next = port ? after[port[0].length] : after[0];
    const whole = (before === undefined || !HOST_CHARACTER.test(before)) && (next === undefined || !HOST_CHARACTER.test(next));
    if (whole) {
      const number = port ? Number(port[1]) : undefined;
      found.push({ port: number !== undefined && number >= 1 && number <= 65535 ? number : undefined, inUrl: value.slice(0, index).endsWith('//') || before === '@' });
    }
    index = value.indexOf(host, index + host.length);
  }
  return found;
}
