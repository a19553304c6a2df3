/**
 * What the habr demo's images hard-code (their settings modules pick peers by APP_ENV). The stack
 * derives every address from the constructs and checks it against these, so a renamed Service or
 * another namespace fails at synth instead of crash-looping on the cluster.
 */
export const HABR_IMAGE_CONTRACT = {
  /** The peers' host names above end in `.default.svc`. */
  namespace: 'default',
  mongoAddress: 'mongodb-statefulset-0.mongodb-service.default.svc.cluster.local:27017',
  redisAddress: 'redis-statefulset-0.redis-service.default.svc.cluster.local:6379',
  backendAddress: 'backend-service.default.svc.cluster.local:40001',
  backendPort: 40001,
  frontendPort: 40002,
  mongoRootUsername: 'root',
  passwordSecret: { secretName: 'mongodb-secret', key: 'password.txt', mountPath: '/run/secrets/mongodb' },
  /** Settings module with Mongo authentication (backend, worker). */
  appEnvWithSecrets: 'k8s_secrets',
  /** Settings module of the frontend. */
  frontendAppEnv: 'k8s',
} as const;

/** Throws when a wired value differs from what the images expect. */
export function expectContract(what: string, actual: string, expected: string): void {
  if (actual !== expected) {
    throw new Error(`habr stack: ${what} is ${JSON.stringify(actual)}, but the demo images hard-code ${JSON.stringify(expected)}; keep the names and the namespace of the app contract`);
  }
}
