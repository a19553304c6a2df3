/** The local cluster's certificates and keys, made with openssl in the cluster's own folder. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface ClusterCertificates {
  readonly caCert: string;
  readonly caKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** A client of group `system:masters`, for kubectl and the tests. */
  readonly adminCert: string;
  readonly adminKey: string;
  /** The controllers' and kwok's clients (their own user names, also `system:masters`). */
  readonly componentCerts: Readonly<Record<string, { readonly cert: string; readonly key: string }>>;
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
}

function openssl(args: readonly string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`openssl ${args[0]} failed: ${stderr || (error as Error).message}`);
  }
}

/** An EC key (fast to make) and a certificate for it signed by the cluster's CA. */
function signedCertificate(dir: string, name: string, subject: string, extensions: string): { cert: string; key: string } {
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.crt`);
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, extensions);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key], dir);
  openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr], dir);
  openssl(['x509', '-req', '-in', csr, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256', '-extfile', ext, '-out', cert], dir);
  return { cert, key };
}

const CLIENT_EXTENSIONS = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n';

/** Makes a CA, the API server's serving certificate for 127.0.0.1, client certificates and the service-account key pair. */
export function makeCertificates(dir: string, components: readonly string[]): ClusterCertificates {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key'], dir);
  openssl(['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=habr-k8s-local-ca', '-days', '2', '-sha256', '-out', 'ca.crt'], dir);
  const server = signedCertificate(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' +
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n',
  );
  const admin = signedCertificate(dir, 'admin', '/O=system:masters/CN=habr-k8s-admin', CLIENT_EXTENSIONS);
  const componentCerts = Object.fromEntries(
    components.map((name) => [name, signedCertificate(dir, name, `/O=system:masters/CN=${name}`, CLIENT_EXTENSIONS)]),
  );
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'service-account.key'], dir);
  openssl(['ec', '-in', 'service-account.key', '-pubout', '-out', 'service-account.pub'], dir);
  return {
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    serverCert: server.cert,
    serverKey: server.key,
    adminCert: admin.cert,
    adminKey: admin.key,
    componentCerts,
    serviceAccountKey: path.join(dir, 'service-account.key'),
    serviceAccountPublicKey: path.join(dir, 'service-account.pub'),
  };
}

/** A kubeconfig for one client of the local API server. */
export function kubeconfigYaml(server: string, caCert: string, clientCert: string, clientKey: string, user: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: habr-k8s-local',
    '    cluster:',
    `      server: ${server}`,
    `      certificate-authority: ${JSON.stringify(caCert)}`,
    'users:',
    `  - name: ${user}`,
    '    user:',
    `      client-certificate: ${JSON.stringify(clientCert)}`,
    `      client-key: ${JSON.stringify(clientKey)}`,
    'contexts:',
    '  - name: habr-k8s-local',
    '    context:',
    '      cluster: habr-k8s-local',
    `      user: ${user}`,
    '      namespace: default',
    'current-context: habr-k8s-local',
    '',
  ].join('\n');
}
