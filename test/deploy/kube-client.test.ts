describe('the Kubernetes client, an optional peer dependency', () => {
  afterEach(() => jest.resetModules());

  test('missing, a command that connects says what to install, in one line', () => {
    jest.doMock('@kubernetes/client-node', () => {
      throw Object.assign(new Error("Cannot find module '@kubernetes/client-node'"), { code: 'MODULE_NOT_FOUND' });
    });
    const { loadKubeConfig } = require('../../lib/deploy/kube-client') as typeof import('../../lib/deploy/kube-client');
    const { UserError } = require('../../lib/errors') as typeof import('../../lib/errors');
    let thrown: unknown;
    try {
      loadKubeConfig({}, {}, '/');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as Error).message).toBe('talking to a cluster needs the official Kubernetes client, which is not installed: npm install @kubernetes/client-node@1.4.0');
  });

  test('another failure while loading it is not taken for a missing package', () => {
    jest.doMock('@kubernetes/client-node', () => {
      throw Object.assign(new Error("Cannot find module 'undici'"), { code: 'MODULE_NOT_FOUND' });
    });
    const { loadKubeConfig } = require('../../lib/deploy/kube-client') as typeof import('../../lib/deploy/kube-client');
    expect(() => loadKubeConfig({}, {}, '/')).toThrow("Cannot find module 'undici'");
  });
});

describe('keptAliveAgent: one connection pool instead of a new TLS connection per request', () => {
  test('every plain agent is replaced by one kept-alive agent with the first one\'s TLS options; another kind of agent is kept', () => {
    const { keptAliveAgent } = require('../../lib/deploy/kube-client') as typeof import('../../lib/deploy/kube-client');
    const https = require('https') as typeof import('https');
    const reused = keptAliveAgent();
    const first = reused(new https.Agent({ ca: 'the-ca', cert: 'the-cert', key: 'the-key' })) as import('https').Agent & { options: Record<string, unknown> };
    expect(first).toBeInstanceOf(https.Agent);
    expect(first.options).toMatchObject({ ca: 'the-ca', cert: 'the-cert', key: 'the-key', keepAlive: true, maxSockets: 64 });
    expect(reused(new https.Agent({ ca: 'the-ca', cert: 'the-cert', key: 'the-key' }))).toBe(first);
    class ProxyAgent extends https.Agent {}
    const proxy = new ProxyAgent();
    expect(reused(proxy)).toBe(proxy);
    expect(reused(undefined)).toBeUndefined();
  });
});
