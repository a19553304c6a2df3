import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { createJsonFormObject, intOrStringValue } from './json-form';
import {
  APP_CONTAINER_DEFAULTS, buildPodTemplate, checkPodTemplate, ContainerDefaults, ContainerPort, mergeResources, PodTemplateProps, ResourceList,
} from './pod-template';
import { checkAll, checkIntOrPercent, invalidProp } from './props';
import { isZeroIntOrPercent } from '../manifest/int-or-percent';
import { mergedRecord } from './records';

/** How a Deployment replaces its pods: Kubernetes' `maxSurge` / `maxUnavailable`. */
export interface RolloutProps {
  /** Extra pods above `replicas` during a rollout: a count or a percentage such as `"50%"`. @default "25%" */
  readonly maxSurge?: number | string;
  /** Pods that may be unavailable during a rollout: a count or a percentage such as `"10%"`. @default "25%" */
  readonly maxUnavailable?: number | string;
}

/** Defaults of a WebApp's container: the shared application defaults. */
export const WEB_APP_DEFAULTS: ContainerDefaults = APP_CONTAINER_DEFAULTS;

/** The requests of the one container of a web app's pods: the defaults' with the props' over them. */
export function webContainerRequests(container: PodTemplateProps): readonly ResourceList[] {
  return [mergeResources(WEB_APP_DEFAULTS.resources, container.resources).requests ?? {}];
}


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

/**
 * The Deployment of a WebApp (or of one version of a release): the pod template with the app
 * defaults, selected by `selectorLabels`. The container props must have passed
 * {@link checkPodTemplate} with {@link WEB_APP_DEFAULTS} and `ports`, and `rollout`
 * {@link checkRollout} (the WebApp's or the release's own checks do that); they are not checked
 * again here.
 */
export function createWebDeployment(scope: Construct, input: WebDeploymentInput): ApiObject {
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
    metadata: { name: `${input.name}-deployment`, labels: mergedRecord(input.labels), annotations: input.annotations && mergedRecord(input.annotations) },
    spec: {
      replicas: Lazy.any({ produce: input.replicas }),
      selector: { matchLabels: mergedRecord(input.selectorLabels) },
      strategy: deploymentStrategy(input.rollout),
      template,
    },
  });
}

/** Checks `rollout` (both fields, reported together); the Deployment gets it by {@link deploymentStrategy}. */
export function checkRollout(scope: Construct, rollout: RolloutProps | undefined): void {
  if (!rollout) return;
  checkAll(scope, [
    () => checkIntOrPercent(scope, 'rollout.maxSurge', rollout.maxSurge),
    () => checkIntOrPercent(scope, 'rollout.maxUnavailable', rollout.maxUnavailable),
  ]);
  if (isZeroIntOrPercent(rollout.maxSurge) && isZeroIntOrPercent(rollout.maxUnavailable)) {
    throw invalidProp(scope, 'rollout', rollout, 'maxSurge and maxUnavailable cannot both be zero: the rollout could never replace a pod');
  }
}

/** The Deployment strategy of a `rollout` {@link checkRollout} accepted; `undefined` keeps Kubernetes' defaults. */
export function deploymentStrategy(rollout: RolloutProps | undefined): k8s.DeploymentStrategy | undefined {
  if (!rollout) return undefined;
  const { maxSurge: surge, maxUnavailable: unavailable } = rollout;
  const rollingUpdate = {
    maxSurge: surge === undefined ? undefined : intOrStringValue(surge),
    maxUnavailable: unavailable === undefined ? undefined : intOrStringValue(unavailable),
  };
  return { type: 'RollingUpdate', rollingUpdate };
}

/** Best-effort topology spread of the selected pods over nodes. */
export function spreadOverNodes(selectorLabels: Readonly<Record<string, string>>): k8s.TopologySpreadConstraint {
  return {
    maxSkew: 1,
    topologyKey: 'kubernetes.io/hostname',
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: mergedRecord(selectorLabels) },
  };
}
