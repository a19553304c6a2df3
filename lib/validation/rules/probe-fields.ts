import { asArray, asRecord } from '../../manifest/objects';
import { ContainerRef, ObjectIndex, IndexedPodTemplate, Rule, findingsOf } from '../rule';
import { Finding } from '../../manifest/types';
import { FieldFindings, show } from '../field-checks';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const HTTP_HEADER_NAME = /^[-A-Za-z0-9]+$/;
const COUNTERS = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const;

function checkProbe(checks: FieldFindings, ref: ContainerRef, probeName: typeof PROBES[number], probe: Record<string, unknown>): void {
  const path = `${ref.path}.${probeName}`;
  const handlers = HANDLERS.filter((handler) => probe[handler] !== undefined && probe[handler] !== null);
  if (handlers.length === 0) {
    checks.reject(path, `${probeName} of container ${show(ref.container.name)} has no handler`, `Give it exactly one of ${HANDLERS.join(', ')}.`);
  } else if (handlers.length > 1) {
    checks.reject(`${path}.${handlers[1]}`, `${probeName} of container ${show(ref.container.name)} has ${handlers.length} handlers (${handlers.join(', ')}); a probe may have only one`, `Keep one of ${handlers.join(', ')}.`);
  }
  for (const counter of COUNTERS) checks.inRange(`${path}.${counter}`, probe[counter], 0);
  if (probeName !== 'readinessProbe' && typeof probe.successThreshold === 'number' && probe.successThreshold !== 1 && probe.successThreshold >= 0) {
    checks.reject(`${path}.successThreshold`, `${path}.successThreshold is ${probe.successThreshold}, but a ${probeName} succeeds on the first success: it must be 1`, 'Remove successThreshold (or set it to 1).');
  }
  if (probe.terminationGracePeriodSeconds !== undefined) {
    if (probeName === 'readinessProbe') {
      checks.reject(`${path}.terminationGracePeriodSeconds`, `${path}.terminationGracePeriodSeconds is set, but a readiness probe never kills the container`, 'Remove it.');
    } else {
      checks.inRange(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 1);
    }
  }
  const httpGet = asRecord(probe.httpGet);
  if (httpGet) {
    checks.portNumberOrName(`${path}.httpGet.port`, httpGet.port);
    checks.oneOf(`${path}.httpGet.scheme`, httpGet.scheme, ['HTTP', 'HTTPS']);
    asArray(httpGet.httpHeaders).forEach((header, i) => {
      const name = asRecord(header)?.name;
      if (typeof name === 'string' && !HTTP_HEADER_NAME.test(name)) {
        checks.reject(`${path}.httpGet.httpHeaders[${i}].name`, `HTTP header name ${show(name)} may contain only letters, digits and "-"`, 'Fix the header name.');
      }
    });
  }
  const tcpSocket = asRecord(probe.tcpSocket);
  if (tcpSocket) checks.portNumberOrName(`${path}.tcpSocket.port`, tcpSocket.port);
  const grpc = asRecord(probe.grpc);
  if (grpc) checks.inRange(`${path}.grpc.port`, grpc.port, 1, 65535);
}

function checkContainer(checks: FieldFindings, ref: ContainerRef): void {
  const isSidecar = ref.isInit && ref.container.restartPolicy === 'Always';
  for (const probeName of PROBES) {
    const probe = asRecord(ref.container[probeName]);
    if (!probe) continue;
    if (ref.isInit && !isSidecar) {
      checks.reject(`${ref.path}.${probeName}`, `init container ${show(ref.container.name)} has a ${probeName}, but init containers run to completion and may not have probes (unless restartPolicy: Always makes them sidecars)`, 'Remove the probe.');
      continue;
    }
    checkProbe(checks, ref, probeName, probe);
  }
  if (ref.isInit && !isSidecar && ref.container.lifecycle !== undefined) {
    checks.reject(`${ref.path}.lifecycle`, `init container ${show(ref.container.name)} has lifecycle hooks, which only regular containers and sidecars may have`, 'Remove lifecycle.');
  }
}

function checkTemplate(template: IndexedPodTemplate): Finding[] {
  const checks = new FieldFindings(probeFields, template.owner);
  for (const ref of template.containers) checkContainer(checks, ref);
  return checks.findings;
}

export const probeFields: Rule = {
  id: 'probe-fields',
  summary: 'Probes have exactly one handler, non-negative timings, successThreshold 1 for liveness and startup, valid ports and schemes, and sit only on regular containers and sidecars.',
  breaks: 'kubectl apply fails: the API server validates every probe.',
  apiServer: 'rejects',
  check: (index: ObjectIndex) => findingsOf(index.podTemplates, checkTemplate),
};
