// The stage config: everything that differs between clusters, in one typed place.
// Written once by `habr-k8s import compose` from docker-compose.yml; the code is yours now.

import { ImagePullPolicy } from 'cdk8s-plus-27';

/** The services of docker-compose.yml. */
export type Service = 'db' | 'cache' | 'api' | 'web' | 'queue';
/** Services whose number of pods the stage chooses. */
export type ReplicatedService = 'api' | 'web' | 'queue';
/** Services that keep data on volume claims. */
export type StoredService = 'db';

export interface StageConfig {
  /** Stage name; the manifests go to `dist-compose-example/<name>/`. */
  readonly name: string;
  /** Namespace of every object, held to the restricted Pod Security Standard; compose host names resolve inside it. */
  readonly namespace: string;
  /** Image per service. */
  readonly images: Readonly<Record<Service, string>>;
  /** Pull policy of the images compose builds (`Never` for images built inside minikube's Docker). */
  readonly builtImagePullPolicy: ImagePullPolicy;
  /**
   * Uid the application images run as. Compose runs them as their image's USER, often root; the restricted
   * Pod Security Standard needs a non-root uid, and the root filesystem is read-only with a writable /tmp.
   * An image that needs its own uid or more writable folders gets them in stack.ts (`security`).
   */
  readonly runAsUser: number;
  readonly replicas: Readonly<Record<ReplicatedService, number>>;
  /**
   * Publish the ports compose publishes (`ports: ["8080:80"]`): their Services are NodePorts (a StatefulSet's get a
   * `<name>-nodeport` Service beside the headless one), and their policies admit any address on those ports.
   * Otherwise they are reached from inside the cluster, or with `kubectl port-forward`.
   */
  readonly publishPorts: boolean;
  /** Size of each volume claim of a service. */
  readonly storage: Readonly<Record<StoredService, string>>;
  /** @default - the cluster's default storage class */
  readonly storageClassName?: string;
}

export const DEV: StageConfig = {
  name: 'dev',
  namespace: 'compose-example',
  images: {
    db: 'mongo:7.0.14',
    cache: 'redis:7.2-alpine',
    // Built from ./api, target api: `docker compose build api`.
    api: 'shop-api',
    // Built from ./web: `docker compose build web`.
    web: 'shop-web',
    // Built from ./api, target queue: `docker compose build queue`.
    queue: 'shop-queue',
  },
  builtImagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
  runAsUser: 10001,
  replicas: {
    api: 1,
    web: 1,
    queue: 1,
  },
  publishPorts: true,
  storage: {
    db: '1Gi',
  },
};

export const STAGES: Readonly<Record<string, StageConfig>> = { dev: DEV };
