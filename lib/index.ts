/**
 * The public API: the constructs, their props and the shapes apps name when they share settings,
 * the prop errors, and synthesis and validation of a whole app. Every name is listed here; the
 * list is pinned by test/index.test.ts, so a new name is a reviewed change.
 *
 * Smaller shapes a single prop takes (a probe's `httpGet`, a toleration, a canary router, …) are
 * tagged `@inline`: the API docs show them where they are used, and code names them through the
 * prop, e.g. `WebAppProps['tolerations']`. Helpers the constructs share (prop checks, label and name
 * rules, the output commit, the validation rules) are not exported here: this repository's own apps,
 * scripts and tests import them from their modules.
 */

// The constructs and their props.
export { WebApp } from './constructs/web-app';
export type { WebAppProps, RolloutProps } from './constructs/web-app';
export { ReleasedWebApp } from './constructs/released-web-app';
export type { ReleasedWebAppProps, ReleaseStrategy, ReleaseVersionSettings } from './constructs/released-web-app';
export { ReleaseVersion } from './constructs/release-version';
export { IngressedService } from './constructs/ingressed-service';
export type { IngressedServiceProps, IngressOptions } from './constructs/ingressed-service';
export { HttpRoute } from './constructs/http-route';
export type { HttpRouteProps } from './constructs/http-route';
export { StatefulApp, StatefulAppBase } from './constructs/stateful-app';
export type { StatefulAppProps, VolumeClaimProps } from './constructs/stateful-app';
export { MongoStatefulSet } from './constructs/mongo-stateful-set';
export type { MongoStatefulSetProps } from './constructs/mongo-stateful-set';
export { RedisStatefulSet } from './constructs/redis-stateful-set';
export type { RedisStatefulSetProps } from './constructs/redis-stateful-set';
export { BatchJob } from './constructs/job';
export type { BatchJobProps } from './constructs/job';
export { ScheduledJob } from './constructs/cron-job';
export type { ScheduledJobProps } from './constructs/cron-job';
export { HpaPolicy } from './constructs/hpa-policy';
export type { HpaPolicyProps } from './constructs/hpa-policy';
export { WorkloadDisruptionBudget } from './constructs/disruption-budget';
export type { WorkloadDisruptionBudgetProps, DisruptionBudgetProps } from './constructs/disruption-budget';
export { RestrictedNamespace } from './constructs/restricted-namespace';
export type { RestrictedNamespaceProps } from './constructs/restricted-namespace';
export { Connections, DefaultDenyEgress, DefaultDenyIngress } from './constructs/connections';
export type { DefaultDenyEgressProps, DefaultDenyIngressProps } from './constructs/connections';
export { AppConfig } from './constructs/config-map';
export type { AppConfigProps } from './constructs/config-map';
export { WorkloadBase } from './constructs/workload';
export type { IAutoscalable } from './constructs/workload';
export type { IConnections, IPodTarget } from './constructs/pod-target';
export { Peer } from './constructs/peer';
export { intendedConnections } from './constructs/intended-connections';
export type { IntendedConnection } from './constructs/intended-connections';

// The pod settings every workload construct shares.
export type { InitContainerProps, ProbeProps, ResourceProps, SecurityProps } from './constructs/pod-template';
export type { NodeAffinityProps, PodAffinityProps } from './constructs/affinity';

// Objects the manifests use but do not create.
export { declareExternalObject } from './constructs/external-objects';

// Bad props.
export { PropsError } from './constructs/props';
export type { PropProblem } from './constructs/props';

// Synthesis and validation of a whole app.
export { renderApp, synthesize, SynthesisError } from './render/synthesize';
export type { RenderedApp, RenderedObjects, SynthesizeOptions, SynthesizedApp } from './render/synthesize';
export { synthesizeAndReport } from './render/synthesize-and-report';

// Helm chart values an app declares (`habr-k8s helm`).
export { chartValues } from './render/helm/values';
export type { ChartValuesOptions } from './render/helm/values';
export type { ValidationReport } from './validation';
export type { ExternalObject, Finding, KubeObject } from './manifest/types';
