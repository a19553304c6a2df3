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
  /**
   * The ingress controller's pods: those with `podLabels` in `namespace` (every pod of the namespace
   * without labels). An Ingress front's `controller`: the app's NetworkPolicy admits it on the
   * Service's target port, or it would refuse every request the controller forwards.
   * @param namespace Namespace of the controller's pods. @default 'ingress-nginx'
   * @param podLabels Labels that select the controller's pods there, e.g. ingress-nginx's
   * `{ 'app.kubernetes.io/component': 'controller' }`. @default - every pod of the namespace
   */
  public static ingressController(namespace = 'ingress-nginx', podLabels?: Readonly<Record<string, string>>): Peer {
    return Peer.podsOf('Peer.ingressController', 'ingress controller', namespace, podLabels);
  }

  /**
   * The data plane of a Gateway (Envoy, nginx, … pods a Gateway controller runs): the pods with
   * `podLabels` in `namespace`. A front with a `route` admits it, or the NetworkPolicy would
   * refuse every request the Gateway forwards.
   */
  public static gatewayDataPlane(props: GatewayDataPlaneProps): Peer {
    return Peer.podsOf('Peer.gatewayDataPlane', 'Gateway data plane', props?.namespace, props?.podLabels);
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

  /** The pods with `podLabels` (every pod without) in `namespace`, checked, described as `<what> (<namespace> <labels>)`. */
  private static podsOf(caller: string, what: string, namespace: string, podLabels: Readonly<Record<string, string>> = {}): Peer {
    checkNamespace(caller, namespace);
    const problems = Object.entries(podLabels).flatMap(([key, value]) => [
      ...(isQualifiedName(key) ? [] : [{ path: caller, field: 'podLabels key', value: key, allowed: QUALIFIED_NAME_RULE }]),
      ...(typeof value === 'string' && isLabelValue(value) ? [] : [{ path: caller, field: `podLabels["${key}"]`, value, allowed: LABEL_VALUE_RULE }]),
    ]);
    if (problems.length) throw new PropsError(caller, problems);
    const labels = Object.entries(podLabels).map(([key, value]) => `${key}=${value}`).join(',');
    return new Peer(`${what} (${namespace}${labels ? ` ${labels}` : ''})`, {
      namespaceSelector: namespaceSelector(namespace),
      ...(labels ? { podSelector: { matchLabels: { ...podLabels } } } : {}),
    });
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
