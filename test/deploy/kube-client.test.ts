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
