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
export { WebApp, WebAppProps, RolloutProps } from './constructs/web-app';
export {
  ReleasedWebApp, ReleasedWebAppProps, ReleaseStrategy, ReleaseVersionSettings,
} from './constructs/released-web-app';
export { ReleaseVersion } from './constructs/release-version';
export { IngressedService, IngressedServiceProps, IngressOptions } from './constructs/ingressed-service';
export { HttpRoute, HttpRouteProps } from './constructs/http-route';
export { StatefulApp, StatefulAppBase, StatefulAppProps, VolumeClaimProps } from './constructs/stateful-app';
export { MongoStatefulSet, MongoStatefulSetProps } from './constructs/mongo-stateful-set';
export { RedisStatefulSet, RedisStatefulSetProps } from './constructs/redis-stateful-set';
export { BatchJob, BatchJobProps } from './constructs/job';
export { ScheduledJob, ScheduledJobProps } from './constructs/cron-job';
export { HpaPolicy, HpaPolicyProps } from './constructs/hpa-policy';
export { WorkloadDisruptionBudget, WorkloadDisruptionBudgetProps, DisruptionBudgetProps } from './constructs/disruption-budget';
export { RestrictedNamespace, RestrictedNamespaceProps } from './constructs/restricted-namespace';
export {
  Connections, DefaultDenyEgress, DefaultDenyEgressProps, DefaultDenyIngress, DefaultDenyIngressProps,
} from './constructs/connections';
export { AppConfig, AppConfigProps } from './constructs/config-map';
export { WorkloadBase, IAutoscalable } from './constructs/workload';
export { IConnections, IPodTarget } from './constructs/pod-target';
export { Peer } from './constructs/peer';

// The pod settings every workload construct shares.
export { InitContainerProps, ProbeProps, ResourceProps, SecurityProps } from './constructs/pod-template';
export { NodeAffinityProps, PodAffinityProps } from './constructs/affinity';

// Objects the manifests use but do not create.
export { declareExternalObject } from './constructs/external-objects';

// Bad props.
export { PropProblem, PropsError } from './constructs/props';

// Synthesis and validation of a whole app.
export {
  renderApp, RenderedApp, RenderedObjects, synthesize, SynthesisError, SynthesizeOptions, SynthesizedApp,
} from './render/synthesize';
export { synthesizeAndReport } from './render/synthesize-and-report';
export { ValidationReport } from './validation';
export { ExternalObject, Finding, KubeObject } from './manifest/types';
