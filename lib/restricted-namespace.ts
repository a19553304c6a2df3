import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DefaultDenyEgress, DefaultDenyIngress } from './connections';
import { checkAll, checkBoolean, checkDns1123Label, checkOneOf, removeHalfBuilt } from './props';
import { createJsonFormObject } from './json-form';

/** A Pod Security Standard level. */
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
export class RestrictedNamespace extends Construct {
  public readonly namespace: ApiObject;
  public readonly defaultDeny?: DefaultDenyIngress;
  public readonly defaultDenyEgress?: DefaultDenyEgress;

  constructor(scope: Construct, id: string, props: RestrictedNamespaceProps) {
    super(scope, id);
    try {
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
    } catch (error) {
      throw removeHalfBuilt(this, error);
    }
    const name = props.name;
    const level = props.podSecurity ?? 'restricted';
    const version = props.podSecurityVersion ?? 'v1.27';
    const labels = Object.fromEntries(['enforce', 'warn', 'audit'].flatMap((mode) => [
      [`pod-security.kubernetes.io/${mode}`, level],
      [`pod-security.kubernetes.io/${mode}-version`, version],
    ]));
    this.namespace = createJsonFormObject(k8s.KubeNamespace, this, 'Namespace', { metadata: { name, labels } });
    if (props.defaultDenyIngress ?? true) {
      this.defaultDeny = new DefaultDenyIngress(this, 'DefaultDenyIngress', { namespace: name });
    }
    if (props.defaultDenyEgress ?? true) {
      this.defaultDenyEgress = new DefaultDenyEgress(this, 'DefaultDenyEgress', { namespace: name });
    }
  }
}
