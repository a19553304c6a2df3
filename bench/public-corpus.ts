/**
 * A folder in the style of public repositories of example manifests, for the validate section of
 * the benchmark: many small example apps in subfolders, written by hand the way people write them
 * (comments, sequences at their key's indentation, quoted and unquoted strings, `|` scripts in
 * ConfigMaps, one-line flow lists, several documents per file), with the mistakes such folders
 * have (`${PLACEHOLDER}` names, `on` for a string, a key written twice). Deterministic: the same
 * count always writes the same files.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A small deterministic generator of numbers in [0, 1) (mulberry32): the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APPS = ['guestbook', 'redis', 'nginx', 'wordpress', 'mysql', 'frontend', 'backend', 'api', 'worker', 'cart', 'catalog', 'payments', 'auth', 'search', 'mailer'];
const IMAGES = ['nginx:1.25', 'redis:7.2-alpine', 'mysql:8.0', 'wordpress:6.4-apache', 'gcr.io/google-samples/gb-frontend:v5', 'busybox:1.36', 'python:3.12-slim'];

function deployment(name: string, next: () => number, serviceAccount: string): string {
  const port = 8000 + Math.floor(next() * 100);
  const image = IMAGES[Math.floor(next() * IMAGES.length)];
  const replicas = 1 + Math.floor(next() * 3);
  return `# ${name}: the web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
    tier: "backend"
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      serviceAccountName: ${serviceAccount}
      containers:
      - name: ${name}
        image: ${image}
        args: ["--port", "${port}", "--verbose"]
        ports:
        - containerPort: ${port}
          name: http
        env:
        - name: LOG_LEVEL
          value: ${next() < 0.1 ? 'on' : '"info"'}
        - name: CONFIG_PATH
          value: /etc/${name}/app.conf
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 256Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
          initialDelaySeconds: 5
        volumeMounts:
        - name: config
          mountPath: /etc/${name}
      volumes:
      - name: config
        configMap:
          name: ${name}-config
`;
}

function service(name: string, next: () => number): string {
  const type = next() < 0.2 ? 'NodePort' : 'ClusterIP';
  // A key written twice, as in the examples where the last value wins.
  const duplicate = next() < 0.03 ? `  type: ${type}\n` : '';
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  type: ${type}
${duplicate}  selector:
    app: ${name}
  ports:
  - name: http
    port: 80
    targetPort: http
`;
}

function configMap(name: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
data:
  app.conf: |
    listen 0.0.0.0
    # served by ${name}
    workers 4
  LOG_FORMAT: json
  FEATURE_FLAGS: 'a,b,c'
`;
}

function ingress(name: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  ingressClassName: nginx
  rules:
  - host: ${name}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: ${name}
            port:
              number: 80
`;
}

function serviceAccount(name: string): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
`;
}

/** Writes the corpus into `folder` (emptied first): `examples` example apps of 4 to 7 objects. Returns the number of objects. */
export function writePublicCorpus(folder: string, examples: number): number {
  fs.rmSync(folder, { recursive: true, force: true });
  let objects = 0;
  for (let i = 0; i < examples; i++) {
    const next = seededRandom(i + 1);
    const name = `${APPS[i % APPS.length]}${i >= APPS.length ? `-${Math.floor(i / APPS.length)}` : ''}`;
    const dir = path.join(folder, `example-${String(i).padStart(3, '0')}-${APPS[i % APPS.length]}`);
    fs.mkdirSync(dir, { recursive: true });
    const placeholder = next() < 0.02;
    const account = placeholder ? '${KSA_NAME}' : `${name}-sa`;
    const documents = [serviceAccount(`${name}-sa`), configMap(name), deployment(name, next, account), service(name, next)];
    if (next() < 0.5) documents.push(ingress(name));
    if (next() < 0.5) {
      // One file per object, as many repositories lay them out.
      documents.forEach((document, j) => fs.writeFileSync(path.join(dir, `${String(j).padStart(2, '0')}-${document.match(/^kind: (\w+)/m)?.[1].toLowerCase()}.yaml`), document));
    } else {
      fs.writeFileSync(path.join(dir, 'all-in-one.yaml'), `---\n${documents.join('---\n')}`);
    }
    objects += documents.length;
  }
  return objects;
}
