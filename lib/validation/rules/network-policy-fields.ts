import { asArray, asRecord, Json } from '../../manifest/objects';
import { IndexedObject, ObjectIndex, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { isStrictSubnet, parseCidr } from '../../manifest/cidr';
import { FieldFindings, isInteger, show } from '../field-checks';
import { checkSelector } from './workload-fields';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

function checkPort(checks: FieldFindings, port: Json, path: string): void {
  checks.oneOf(`${path}.protocol`, port.protocol, PROTOCOLS);
  checks.portNumberOrName(`${path}.port`, port.port);
  if (port.endPort === undefined) return;
  if (port.port === undefined) {
    checks.reject(`${path}.endPort`, `${path}.endPort is set without port`, 'Set port to the first port of the range.');
  } else if (!isInteger(port.port)) {
    checks.reject(`${path}.endPort`, `${path}.endPort is set, but port is the port name ${show(port.port)}; a range needs numbers`, 'Use a port number, or drop endPort.');
  } else if (isInteger(port.endPort) && port.endPort < port.port) {
    checks.reject(`${path}.endPort`, `${path}.endPort (${port.endPort}) is below port (${port.port})`, 'Make endPort ≥ port.');
  } else {
    checks.inRange(`${path}.endPort`, port.endPort, 1, 65535);
  }
}

function checkPeer(checks: FieldFindings, peer: Json, path: string): void {
  const kinds = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((key) => peer[key] !== undefined && peer[key] !== null);
  if (kinds.length === 0) checks.reject(path, `${path} is an empty peer`, 'Set podSelector, namespaceSelector or ipBlock (use {} selectors to mean "all").');
  else if (kinds.includes('ipBlock') && kinds.length > 1) checks.reject(path, `${path} combines ipBlock with ${kinds.filter((k) => k !== 'ipBlock').join(' and ')}`, 'Put the ipBlock in a peer of its own.');
  checkSelector(checks, peer.podSelector, `${path}.podSelector`);
  checkSelector(checks, peer.namespaceSelector, `${path}.namespaceSelector`);
  const ipBlock = asRecord(peer.ipBlock);
  if (!ipBlock) return;
  const cidr = typeof ipBlock.cidr === 'string' ? parseCidr(ipBlock.cidr) : undefined;
  if (typeof ipBlock.cidr === 'string' && !cidr) {
    checks.reject(`${path}.ipBlock.cidr`, `${path}.ipBlock.cidr ${show(ipBlock.cidr)} is not a CIDR`, 'Write an address and a prefix length, e.g. "10.0.0.0/8".');
  }
  asArray(ipBlock.except).forEach((raw, i) => {
    const exceptPath = `${path}.ipBlock.except[${i}]`;
    if (typeof raw !== 'string') return;
    const except = parseCidr(raw);
    if (!except) checks.reject(exceptPath, `${exceptPath} ${show(raw)} is not a CIDR`, 'Write an address and a prefix length.');
    else if (cidr && !isStrictSubnet(except, cidr)) checks.reject(exceptPath, `${exceptPath} ${show(raw)} is not a strict subset of cidr ${show(ipBlock.cidr)}`, 'Except only ranges inside the cidr, with a longer prefix.');
  });
}

function checkPolicy(policy: IndexedObject): Finding[] {
  const checks = new FieldFindings(networkPolicyFields, policy);
  const spec = asRecord(policy.object.spec) ?? {};
  checkSelector(checks, spec.podSelector, 'spec.podSelector');
  for (const [direction, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    asArray(spec[direction]).forEach((rawRule, i) => {
      const rule = asRecord(rawRule) ?? {};
      asArray(rule.ports).forEach((port, j) => checkPort(checks, asRecord(port) ?? {}, `spec.${direction}[${i}].ports[${j}]`));
      asArray(rule[peers]).forEach((peer, j) => checkPeer(checks, asRecord(peer) ?? {}, `spec.${direction}[${i}].${peers}[${j}]`));
    });
  }
  const types = asArray(spec.policyTypes);
  if (types.length > 2) checks.reject('spec.policyTypes', `spec.policyTypes lists ${types.length} types`, 'List at most Ingress and Egress.');
  else types.forEach((type, i) => checks.oneOf(`spec.policyTypes[${i}]`, type, ['Ingress', 'Egress']));
  return checks.findings;
}

export const networkPolicyFields: Rule = {
  id: 'network-policy-fields',
  summary: 'NetworkPolicy ports have known protocols, valid numbers or names and endPort ≥ port; peers are one of podSelector/namespaceSelector or an ipBlock alone, with valid CIDRs and excepts inside them; policyTypes are Ingress/Egress.',
  breaks: 'kubectl apply fails: the API server validates the policy spec.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.byKind('NetworkPolicy'), checkPolicy),
};
