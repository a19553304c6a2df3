import { k8s } from 'cdk8s-plus-27';
import { parseCidr } from '../manifest/cidr';
import {
  DNS1123_LABEL_RULE, invalidValue, isDns1123Label, isLabelValue, isQualifiedName, LABEL_VALUE_RULE, PropsError, QUALIFIED_NAME_RULE,
} from './props';

/** Where a Gateway's data plane runs: the pods that proxy the requests of its routes. @inline */
export interface GatewayDataPlaneProps {
  /** Namespace of the data plane's pods (often the Gateway's own, e.g. `gateway-system`). */
  readonly namespace: string;
  /** Labels that select the data plane's pods in that namespace. @default - every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** Something outside the stack's workloads that connects in, such as the ingress controller. */
export class Peer {
  /** Every pod of the ingress controller's namespace (ingress-nginx's own namespace by default). */
  public static ingressController(namespace = 'ingress-nginx'): Peer {
    checkNamespace('Peer.ingressController', namespace);
    return new Peer(`ingress controller (${namespace})`, { namespaceSelector: namespaceSelector(namespace) });
  }

  /**
   * The data plane of a Gateway (Envoy, nginx, … pods a Gateway controller runs): the pods with
   * `podLabels` in `namespace`. A front with a `route` admits it, or the NetworkPolicy would
   * refuse every request the Gateway forwards.
   */
  public static gatewayDataPlane(props: GatewayDataPlaneProps): Peer {
    const caller = 'Peer.gatewayDataPlane';
    checkNamespace(caller, props?.namespace);
    const podLabels = props.podLabels ?? {};
    const problems = Object.entries(podLabels).flatMap(([key, value]) => [
      ...(isQualifiedName(key) ? [] : [{ path: caller, field: 'podLabels key', value: key, allowed: QUALIFIED_NAME_RULE }]),
      ...(typeof value === 'string' && isLabelValue(value) ? [] : [{ path: caller, field: `podLabels["${key}"]`, value, allowed: LABEL_VALUE_RULE }]),
    ]);
    if (problems.length) throw new PropsError(caller, problems);
    const labels = Object.entries(podLabels).map(([key, value]) => `${key}=${value}`).join(',');
    return new Peer(`Gateway data plane (${props.namespace}${labels ? ` ${labels}` : ''})`, {
      namespaceSelector: namespaceSelector(props.namespace),
      ...(labels ? { podSelector: { matchLabels: { ...podLabels } } } : {}),
    });
  }

  /**
   * Any source whose address is in `cidr`, e.g. `0.0.0.0/0` for every IPv4 address: what a NodePort
   * or LoadBalancer Service's pods admit on its port, since the connections come from outside the
   * cluster (or from a node, after kube-proxy rewrote the source), never from a pod that a selector names.
   */
  public static ipBlock(cidr: string): Peer {
    if (typeof cidr !== 'string' || !parseCidr(cidr)) {
      throw invalidValue('Peer.ipBlock', 'cidr', cidr, 'must be an IPv4 or IPv6 CIDR such as "0.0.0.0/0", "10.0.0.0/8" or "::/0"');
    }
    return new Peer(`addresses ${cidr}`, { ipBlock: { cidr } });
  }

  /** Every pod of a namespace. */
  public static namespace(namespace: string): Peer {
    checkNamespace('Peer.namespace', namespace);
    return new Peer(`namespace ${namespace}`, { namespaceSelector: namespaceSelector(namespace) });
  }

  private constructor(public readonly description: string, public readonly peer: k8s.NetworkPolicyPeer) {}
}

function namespaceSelector(namespace: string): k8s.LabelSelector {
  return { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
}

/** A namespace name, as the `kubernetes.io/metadata.name` label of a namespace selector. */
function checkNamespace(caller: string, namespace: string): void {
  if (typeof namespace !== 'string' || !isDns1123Label(namespace)) {
    throw invalidValue(caller, 'namespace', namespace, DNS1123_LABEL_RULE);
  }
}
