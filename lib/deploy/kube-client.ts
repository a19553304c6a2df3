/**
 * {@link ClusterApi} on the official JavaScript client, `@kubernetes/client-node`: its kubeconfig
 * handling, authentication and transport, and its discovery (which resource serves a kind). The
 * requests carry and return plain JSON, so no field the client's generated models do not know
 * is dropped on the way. The client is an ES module, loaded when a command first connects.
 * @module
 */
import type * as k8s from '@kubernetes/client-node';
import * as http from 'http';
import * as https from 'https';
import type { KubeObject } from '../manifest/types';
import { asRecord, asString, records } from '../manifest/objects';
import { UserError } from '../errors';
import { ApiError, ApplyRequest, ClusterApi, ObjectRef, VersionedList, WatchEvent } from './cluster-api';
import { ConnectionOptions, kubeconfigFiles, KubeconfigParts, mergeKubeconfigs } from './kubeconfig';

/** Connections to the API server at most; requests beyond wait for one (the server's own limit is 400 in flight). */
const MAX_SOCKETS = 64;

/** An optional peer dependency of habr-k8s: only the commands that talk to a cluster need it. */
export const CLIENT_PACKAGE = '@kubernetes/client-node';

function client(): typeof k8s {
  try {
    return require(CLIENT_PACKAGE) as typeof k8s;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !(error as Error).message.includes(CLIENT_PACKAGE)) throw error;
    throw new UserError(`talking to a cluster needs the official Kubernetes client, which is not installed: npm install ${CLIENT_PACKAGE}@1.4.0`);
  }
}

/** The kubeconfig kubectl would use with these options (see kubeconfig.ts). */
export function loadKubeConfig(options: ConnectionOptions, env: NodeJS.ProcessEnv, cwd: string): k8s.KubeConfig {
  const { KubeConfig } = client();
  const files = kubeconfigFiles(options, env, cwd);
  const loaded = files.map((file) => {
    const config = new KubeConfig();
    config.loadFromFile(file);
    return config;
  });
  const parts: KubeconfigParts[] = loaded.map((config) => ({ clusters: config.clusters, users: config.users, contexts: config.contexts, currentContext: config.currentContext }));
  const merged = mergeKubeconfigs(parts, options, files.join(', '));
  const config = new KubeConfig();
  config.loadFromOptions(merged);
  return config;
}

/** The server's Status of a failed request as an {@link ApiError}. */
function apiError(status: number, text: string, what: string): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const record = asRecord(body);
  const causes = records(asRecord(record?.details)?.causes).map((cause) => ({ reason: asString(cause.reason), message: asString(cause.message), field: asString(cause.field) }));
  return new ApiError(status, asString(record?.reason) ?? '', asString(record?.message) ?? `${what}: HTTP ${status} ${text.slice(0, 200)}`, causes);
}

/** A failed watch request as an {@link ApiError} when the server answered (the client keeps only the HTTP status), else the error itself. */
function watchError(error: unknown, path: string): Error {
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number') return new ApiError(status, (error as Error).message, `watch of ${path}: HTTP ${status} ${(error as Error).message}`);
  return error instanceof Error ? error : new Error(String(error));
}

interface Resource {
  /** `/api/v1` or `/apis/<group>/<version>`. */
  readonly root: string;
  /** The resource name in URLs (`deployments`). */
  readonly plural: string;
  readonly namespaced: boolean;
}

/**
 * The client makes a new agent, hence a new TLS connection, for every request: thousands of
 * handshakes for a large app. The function returned replaces a plain http(s) agent by one
 * kept-alive agent with the options of the first it sees (one kubeconfig user per command); any
 * other agent (a proxy's) is returned as it is.
 */
export function keptAliveAgent(): (agent: http.Agent | undefined) => http.Agent | undefined {
  let shared: http.Agent | undefined;
  return (agent) => {
    if (!agent || (agent.constructor !== https.Agent && agent.constructor !== http.Agent)) return agent;
    const options = { ...(agent as http.Agent & { options: https.AgentOptions }).options, keepAlive: true, maxSockets: MAX_SOCKETS };
    shared ??= agent.constructor === https.Agent ? new https.Agent(options) : new http.Agent(options);
    return shared;
  };
}

/** Connects to the cluster of the kubeconfig and context kubectl would use. */
export function connectCluster(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ClusterApi {
  const api = client();
  const config = loadKubeConfig(options, env, cwd);
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new UserError(`context ${config.getCurrentContext()} has no cluster`);
  const configuration = api.createConfiguration({ baseServer: new api.ServerConfiguration(cluster.server, {}), authMethods: { default: config } });
  const discovery = api.KubernetesObjectApi.makeApiClient(config) as unknown as { resource(apiVersion: string, kind: string): Promise<k8s.V1APIResource | undefined> };
  const resources = new Map<string, Promise<Resource>>();
  let groups: Promise<Map<string, string>> | undefined;

  const resourceOf = (apiVersion: string, kind: string): Promise<Resource> => {
    const key = `${apiVersion}/${kind}`;
    let found = resources.get(key);
    if (!found) {
      const notServed = new ApiError(404, 'NotFound', `the server does not serve ${kind} in ${apiVersion} (is its CRD installed?)`);
      found = discovery.resource(apiVersion, kind).catch((error: { code?: unknown }) => {
        throw error.code === 404 ? notServed : error;
      }).then((resource): Resource => {
        if (!resource) throw notServed;
        return { root: `${apiVersion.includes('/') ? '/apis' : '/api'}/${apiVersion}`, plural: resource.name, namespaced: resource.namespaced };
      });
      found.catch(() => resources.delete(key));
      resources.set(key, found);
    }
    return found;
  };

  const urlOf = async (ref: { apiVersion: string; kind: string; name?: string; namespace?: string }): Promise<string> => {
    const resource = await resourceOf(ref.apiVersion, ref.kind);
    const namespace = resource.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace || 'default')}` : '';
    return `${resource.root}${namespace}/${resource.plural}${ref.name !== undefined ? `/${encodeURIComponent(ref.name)}` : ''}`;
  };

  const reused = keptAliveAgent();

  const request = async (method: k8s.HttpMethod, url: string, query: Record<string, string | undefined>, body?: { contentType: string; value: unknown }): Promise<unknown> => {
    const context = configuration.baseServer.makeRequestContext(url, method);
    context.setHeaderParam('Accept', 'application/json');
    for (const [key, value] of Object.entries(query)) if (value !== undefined) context.setQueryParam(key, value);
    if (body) {
      context.setHeaderParam('Content-Type', body.contentType);
      context.setBody(JSON.stringify(body.value));
    }
    await config.applySecurityAuthentication(context);
    const agent = reused(context.getAgent());
    if (agent) context.setAgent(agent);
    const response = await configuration.httpApi.send(context).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) throw apiError(response.httpStatusCode, text, `${method} ${url}`);
    return text ? JSON.parse(text) : undefined;
  };
  const { HttpMethod } = api;

  const list = async (apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string, fieldSelector?: string): Promise<VersionedList> => {
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = asRecord(await request(HttpMethod.GET, await urlOf({ apiVersion, kind, namespace }), { labelSelector, fieldSelector, limit: '500', continue: continueToken }));
      for (const item of records(page?.items)) items.push({ ...item, apiVersion, kind } as KubeObject);
      // Every page of a paginated list is read at the first page's resourceVersion.
      resourceVersion = asString(asRecord(page?.metadata)?.resourceVersion) ?? resourceVersion;
      continueToken = asString(asRecord(page?.metadata)?.continue) || undefined;
    } while (continueToken);
    return { items, resourceVersion };
  };

  return {
    async apply(object: KubeObject, options: ApplyRequest) {
      const url = await urlOf({ apiVersion: object.apiVersion, kind: object.kind, name: asString(object.metadata?.name) ?? '', namespace: asString(object.metadata?.namespace) });
      return await request(HttpMethod.PATCH, url, { fieldManager: options.fieldManager, force: String(options.force), dryRun: options.dryRun ? 'All' : undefined, fieldValidation: 'Strict' },
        { contentType: 'application/apply-patch+yaml', value: object }) as KubeObject;
    },
    async get(ref: ObjectRef) {
      try {
        return await request(HttpMethod.GET, await urlOf(ref), {}) as KubeObject;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return undefined;
        throw error;
      }
    },
    list: async (apiVersion, kind, namespace, labelSelector) => (await list(apiVersion, kind, namespace, labelSelector)).items,
    listVersioned: (apiVersion, kind, namespace) => list(apiVersion, kind, namespace),
    async watch(apiVersion, kind, namespace, resourceVersion, handlers) {
      const path = await urlOf({ apiVersion, kind, namespace });
      let opened = false;
      let stopped = false;
      let refused: Error | undefined;
      // The official client's watch: one streamed GET ?watch=true, an event per line.
      const controller = await new api.Watch(config).watch(path, { resourceVersion, allowWatchBookmarks: true }, (type: string, object: KubeObject) => {
        if (stopped) return;
        handlers.event({ type: type as WatchEvent['type'], object: type === 'ERROR' || type === 'BOOKMARK' ? object : { ...object, apiVersion, kind } });
      }, (error: unknown) => {
        const failure = error ? watchError(error, path) : undefined;
        if (!opened) refused = failure ?? new Error(`watch of ${path} ended before it started`);
        else if (!stopped) handlers.end(failure);
      });
      if (refused) throw refused;
      opened = true;
      return () => {
        stopped = true;
        controller.abort();
      };
    },
    async create(object: KubeObject) {
      return await request(HttpMethod.POST, await urlOf({ apiVersion: object.apiVersion, kind: object.kind, namespace: asString(object.metadata?.namespace) }), {},
        { contentType: 'application/json', value: object }) as KubeObject;
    },
    async replace(object: KubeObject) {
      return await request(HttpMethod.PUT, await urlOf({ apiVersion: object.apiVersion, kind: object.kind, name: asString(object.metadata?.name) ?? '', namespace: asString(object.metadata?.namespace) }), {},
        { contentType: 'application/json', value: object }) as KubeObject;
    },
    async delete(ref: ObjectRef) {
      try {
        await request(HttpMethod.DELETE, await urlOf(ref), {}, { contentType: 'application/json', value: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } });
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
    },
    async events(ref: ObjectRef) {
      const selector = `involvedObject.kind=${ref.kind},involvedObject.name=${ref.name}`;
      const { items: events } = await list('v1', 'Event', ref.namespace ?? 'default', undefined, selector);
      const time = (event: KubeObject) => String(asRecord(event)?.lastTimestamp ?? asRecord(event)?.eventTime ?? asRecord(event.metadata)?.creationTimestamp ?? '');
      return events.sort((a, b) => (time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : 0));
    },
    async preferredVersion(group: string) {
      if (group === '') return 'v1';
      groups ??= request(HttpMethod.GET, '/apis', {}).then((body) => new Map(records(asRecord(body)?.groups)
        .map((entry) => [asString(entry.name) ?? '', asString(asRecord(entry.preferredVersion)?.version) ?? ''] as [string, string])));
      return (await groups).get(group) || undefined;
    },
    async isNamespaced(apiVersion: string, kind: string) {
      return (await resourceOf(apiVersion, kind)).namespaced;
    },
  };
}
