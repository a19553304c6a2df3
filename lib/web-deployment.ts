import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { createJsonFormObject } from './json-form';
import { buildPodTemplate, ContainerPort, PodTemplateProps } from './pod-template';
import { RolloutProps, rolloutStrategy, spreadOverNodes, WEB_APP_DEFAULTS } from './web-app';

/** What {@link createWebDeployment} needs: the pods of one stateless workload. */
export interface WebDeploymentInput {
  /** The Deployment is `<name>-deployment`. */
  readonly name: string;
  /** Name of the app container. */
  readonly containerName: string;
  readonly container: PodTemplateProps;
  /** Labels of the Deployment and its pods (the selector labels among them). */
  readonly labels: Readonly<Record<string, string>>;
  /** What `spec.selector.matchLabels` holds. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPort[];
  /** The fixed replica count, read at synthesis; `undefined` once an autoscaler owns it. */
  readonly replicas: () => number | undefined;
  /** @default - Kubernetes' rolling update */
  readonly rollout?: RolloutProps;
  /** @default false */
  readonly spreadAcrossNodes?: boolean;
}

/** The Deployment of a WebApp (or of one version of a release): the pod template with the app defaults, selected by `selectorLabels`. */
export function createWebDeployment(scope: Construct, input: WebDeploymentInput): k8s.KubeDeployment {
  const template = buildPodTemplate(scope, {
    containerName: input.containerName,
    container: input.container,
    defaults: WEB_APP_DEFAULTS,
    labels: input.labels,
    annotations: input.podAnnotations,
    ports: input.ports,
    topologySpreadConstraints: input.spreadAcrossNodes ? [spreadOverNodes(input.selectorLabels)] : undefined,
  });
  return createJsonFormObject(k8s.KubeDeployment, scope, 'Deployment', {
    metadata: { name: `${input.name}-deployment`, labels: { ...input.labels }, annotations: input.annotations && { ...input.annotations } },
    spec: {
      replicas: Lazy.any({ produce: input.replicas }),
      selector: { matchLabels: { ...input.selectorLabels } },
      strategy: rolloutStrategy(scope, input.rollout),
      template,
    },
  });
}
