import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DefaultDenyEgress, DefaultDenyIngress } from './connections';
import { checkAll, checkBoolean, checkDns1123Label, checkOneOf, detachOnError } from './props';
import { createJsonFormObject } from './json-form';
import { chartLabels } from './labels';

/** A Pod Security Standard level. @inline */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Props of a {@link RestrictedNamespace}. */
export interface RestrictedNamespaceProps {
  /** The namespace (an existing one such as `default` is updated in place by `kubectl apply`). */
  readonly name: string;
  /** Pod Security Standard the API server enforces (and warns and audits) for every pod. @default 'restricted' */
  readonly podSecurity?: PodSecurityLevel;
  /** Version of the standard, pinned so a cluster upgrade does not tighten it silently. @default 'v1.27' */
  readonly podSecurityVersion?: string;
  /** Refuse every incoming connection that no other NetworkPolicy allows. @default true */
  readonly defaultDenyIngress?: boolean;
  /** Refuse every outgoing connection (DNS included) that no other NetworkPolicy allows. @default true */
  readonly defaultDenyEgress?: boolean;
}

const LEVELS: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/**
 * A Namespace whose pods the API server holds to a Pod Security Standard (`restricted` by
 * default), with default-deny ingress and egress policies: the defaults of the constructs become rules the
 * cluster enforces, so a pod added later by hand cannot quietly weaken them. Put it in a chart
 * without a namespace, applied before the workloads.
 */
@detachOnError
export class RestrictedNamespace extends Construct {
  /** The namespace's name, as every construct's `namespace` is. */
  public readonly namespace: string;
  /** The Namespace object. */
  public readonly namespaceObject: ApiObject;
  public readonly defaultDenyIngress?: DefaultDenyIngress;
  public readonly defaultDenyEgress?: DefaultDenyEgress;

  constructor(scope: Construct, id: string, props: RestrictedNamespaceProps) {
    super(scope, id);
    checkAll(this, [
      () => checkDns1123Label(this, 'name', props.name),
      () => checkOneOf(this, 'podSecurity', props.podSecurity ?? 'restricted', LEVELS),
      () => {
        const version = props.podSecurityVersion ?? 'v1.27';
        if (!/^(latest|v1\.\d+)$/.test(version)) checkOneOf(this, 'podSecurityVersion', version, ['latest', 'v1.<minor>']);
      },
      () => checkBoolean(this, 'defaultDenyIngress', props.defaultDenyIngress),
      () => checkBoolean(this, 'defaultDenyEgress', props.defaultDenyEgress),
    ]);
    const name = props.name;
    const level = props.podSecurity ?? 'restricted';
    const version = props.podSecurityVersion ?? 'v1.27';
    const labels = {
      ...chartLabels(this),
      ...Object.fromEntries(['enforce', 'warn', 'audit'].flatMap((mode) => [
        [`pod-security.kubernetes.io/${mode}`, level],
        [`pod-security.kubernetes.io/${mode}-version`, version],
      ])),
    };
    this.namespace = name;
    this.namespaceObject = createJsonFormObject(k8s.KubeNamespace, this, 'Namespace', { metadata: { name, labels } });
    if (props.defaultDenyIngress ?? true) {
      this.defaultDenyIngress = new DefaultDenyIngress(this, 'DefaultDenyIngress', { namespace: name });
    }
    if (props.defaultDenyEgress ?? true) {
      this.defaultDenyEgress = new DefaultDenyEgress(this, 'DefaultDenyEgress', { namespace: name });
    }
  }
}
