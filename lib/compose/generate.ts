import { ImportPlan, isPreset, isSqlPreset, ServicePlan } from './plan';
import { camelCase, expr, pascalCase, propertyKey, quote, source, SourceValue } from './source';

/** Where the generated app lives and how it names itself. */
export interface GenerateOptions {
  /** The app's folder name, e.g. `shop` for `apps/shop`: the stack class, the namespace and the output folder follow it. */
  readonly appName: string;
  /** The compose file's name, for the comments. */
  readonly composeFile: string;
  /** Module the constructs are imported from: a relative path to `lib`, or `habr-k8s`. */
  readonly libraryModule: string;
  /** @default - the app name */
  readonly namespace?: string;
}

/** A generated source file, relative to the app's folder. */
export interface GeneratedFile {
  readonly file: string;
  readonly content: string;
}

const CONSTRUCT: Readonly<Record<ServicePlan['kind'], string>> = {
  mongo: 'MongoStatefulSet',
  redis: 'RedisStatefulSet',
  postgres: 'PostgresStatefulSet',
  mysql: 'MysqlStatefulSet',
  mariadb: 'MysqlStatefulSet',
  stateful: 'StatefulApp',
  web: 'WebApp',
  worker: 'WebApp',
  job: 'BatchJob',
};

/** The app's `stages.ts`, `stack.ts` and `main.ts`. */
export function generateApp(plan: ImportPlan, options: GenerateOptions): GeneratedFile[] {
  const app = new GeneratedApp(plan, options);
  return [
    { file: 'stages.ts', content: app.stages() },
    { file: 'stack.ts', content: app.stack() },
    { file: 'main.ts', content: app.main() },
  ];
}

class GeneratedApp {
  private readonly stackClass: string;
  private readonly replicated: readonly ServicePlan[];
  private readonly stored: readonly ServicePlan[];
  private readonly built: readonly ServicePlan[];
  /** Whether a service runs as the stage's `runAsUser` (no uid of its own). */
  private readonly runAsStageUser: boolean;
  /** Whether a service has published ports that the stage config chooses to publish. */
  private readonly publishing: boolean;
  private readonly outputRoot: string;

  constructor(private readonly plan: ImportPlan, private readonly options: GenerateOptions) {
    this.stackClass = `${pascalCase(options.appName)}Stack`;
    this.replicated = plan.services.filter((s) => s.kind === 'web' || s.kind === 'worker' || (s.kind === 'stateful' && !s.database));
    this.stored = plan.services.filter((s) => s.volumeClaims.length);
    this.built = plan.services.filter((s) => s.build);
    this.publishing = plan.services.some((s) => s.exposure?.byStage);
    this.runAsStageUser = plan.services.some((s) => !isPreset(s.kind) && s.runAsUser === undefined && !s.imageKnowsUser);
    this.outputRoot = `dist-${options.appName}`;
  }

  public stages(): string {
    const union = (services: readonly ServicePlan[]) => services.map((s) => quote(s.name)).join(' | ');
    const record = (services: readonly ServicePlan[], value: (s: ServicePlan) => string) =>
      `{\n${services.map((s) => `    ${propertyKey(s.name)}: ${value(s)},`).join('\n')}\n  }`;
    const images = this.plan.services.map((s) => {
      const from = s.build && `    // Built from ${contextPath(s.build.context)}${s.build.dockerfile ? ` (${s.build.dockerfile})` : ''}${s.build.target ? `, target ${s.build.target}` : ''}: \`docker compose build ${s.compose}\`.\n`;
      return `${from ?? ''}    ${propertyKey(s.name)}: ${quote(s.image)},`;
    }).join('\n');
    const lines = [
      this.header('The stage config: everything that differs between clusters, in one typed place.'),
      ...(this.built.length ? ["import { ImagePullPolicy } from 'cdk8s-plus-27';", ''] : []),
      `/** The services of ${this.options.composeFile}. */`,
      `export type Service = ${union(this.plan.services)};`,
      ...(this.replicated.length ? ['/** Services whose number of pods the stage chooses. */', `export type ReplicatedService = ${union(this.replicated)};`] : []),
      ...(this.stored.length ? ['/** Services that keep data on volume claims. */', `export type StoredService = ${union(this.stored)};`] : []),
      '',
      'export interface StageConfig {',
      '  /** Stage name; the manifests go to `' + this.outputRoot + '/<name>/`. */',
      '  readonly name: string;',
      '  /** Namespace of every object, held to the restricted Pod Security Standard; compose host names resolve inside it. */',
      '  readonly namespace: string;',
      '  /** Image per service. */',
      '  readonly images: Readonly<Record<Service, string>>;',
      ...(this.built.length ? ['  /** Pull policy of the images compose builds (`Never` for images built inside minikube\'s Docker). */', '  readonly builtImagePullPolicy: ImagePullPolicy;'] : []),
      ...(this.runAsStageUser ? [
        '  /**',
        '   * Uid the application images run as. Compose runs them as their image\'s USER, often root; the restricted',
        '   * Pod Security Standard needs a non-root uid, and the root filesystem is read-only with a writable /tmp.',
        '   * An image that needs its own uid or more writable folders gets them in stack.ts (`security`).',
        '   */',
        '  readonly runAsUser: number;',
      ] : []),
      ...(this.replicated.length ? ['  readonly replicas: Readonly<Record<ReplicatedService, number>>;'] : []),
      ...(this.publishing ? [
        '  /**',
        '   * Publish the ports compose publishes (`ports: ["8080:80"]`): their Services are NodePorts (a StatefulSet\'s get a',
        '   * `<name>-nodeport` Service beside the headless one), and their policies admit any address on those ports.',
        '   * Otherwise they are reached from inside the cluster, or with `kubectl port-forward`.',
        '   */',
        '  readonly publishPorts: boolean;',
      ] : []),
      ...(this.stored.length ? [
        '  /** Size of each volume claim of a service. */',
        '  readonly storage: Readonly<Record<StoredService, string>>;',
        '  /** @default - the cluster\'s default storage class */',
        '  readonly storageClassName?: string;',
      ] : []),
      '}',
      '',
      'export const DEV: StageConfig = {',
      "  name: 'dev',",
      `  namespace: ${quote(this.options.namespace ?? this.options.appName)},`,
      `  images: {\n${images}\n  },`,
      ...(this.built.length ? ['  builtImagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,'] : []),
      ...(this.runAsStageUser ? ['  runAsUser: 10001,'] : []),
      ...(this.replicated.length ? [`  replicas: ${record(this.replicated, (s) => String(s.replicas))},`] : []),
      ...(this.publishing ? ['  publishPorts: true,'] : []),
      ...(this.stored.length ? [`  storage: ${record(this.stored, (s) => quote(s.storage!))},`] : []),
      '};',
      '',
      'export const STAGES: Readonly<Record<string, StageConfig>> = { dev: DEV };',
      '',
    ];
    return lines.join('\n');
  }

  public stack(): string {
    const services = this.plan.services;
    const constructs = [...new Set(services.map((s) => CONSTRUCT[s.kind]))];
    const needsPeer = services.some((s) => s.ingress);
    const pluses = [
      ...(services.some((s) => !s.build && s.imagePullPolicy) ? ['ImagePullPolicy'] : []),
      ...(services.some((s) => s.serviceType || exposedByOwnService(s)) ? ['ServiceType'] : []),
    ];
    const externals = this.externalObjects();
    const libraryImports = [...constructs, 'RestrictedNamespace', ...(needsPeer ? ['Peer'] : []), ...(externals.length ? ['declareExternalObject'] : [])]
      .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    const body: string[] = [];
    body.push(
      '    const platform = new Chart(app, \'platform\');',
      '    new RestrictedNamespace(platform, \'Namespace\', { name: stage.namespace });',
      '    const chart = (id: string, ...dependencies: Chart[]) => {',
      '      const c = new Chart(app, id, { namespace: stage.namespace, disableResourceNameHashes: true });',
      '      c.addDependency(platform, ...dependencies);',
      '      return c;',
      '    };',
    );
    for (const s of services) {
      body.push(`    const ${chartVariable(s)} = chart(${[quote(s.name), ...s.dependsOn.map((d) => chartVariable(this.service(d)))].join(', ')});`);
    }
    body.push(`    this.charts = [platform, ${services.map(chartVariable).join(', ')}];`, '');
    for (const s of services) {
      body.push(`    this.${field(s)} = new ${CONSTRUCT[s.kind]}(${chartVariable(s)}, ${quote(pascalCase(s.name))}, ${source(this.props(s), '    ')});`);
    }
    const connections = services.flatMap((s) => s.connectsTo.map((edge) =>
      `    this.${field(s)}.connections.allowTo(${[`this.${field(this.service(edge.service))}`, ...edge.ports].join(', ')});`));
    if (connections.length) body.push('', '    // depends_on, links and host names in env values: each client may connect to those services, and nothing else can.', ...connections);
    if (externals.length) body.push('', ...externals);

    const lines = [
      this.header(`The stack imported from ${this.options.composeFile}: one chart per service, applied after the services it depends on.`),
      "import { App, Chart } from 'cdk8s';",
      ...(pluses.length ? [`import { ${pluses.join(', ')} } from 'cdk8s-plus-27';`] : []),
      `import { ${libraryImports.join(', ')} } from ${quote(this.options.libraryModule)};`,
      "import { StageConfig } from './stages';",
      '',
      '/**',
      ` * The services of ${this.options.composeFile}, after a platform chart (the namespace, which enforces the restricted Pod`,
      ' * Security Standard, and a default-deny ingress policy). Every Service is named as its compose service, so compose',
      ' * host names such as ' + this.hostExample() + ' keep working; `depends_on`, `links` and host names in env values became',
      ' * connections (NetworkPolicy edges), and `depends_on` chart dependencies (the apply order).',
      ' */',
      `export class ${this.stackClass} {`,
      '  public readonly charts: readonly Chart[];',
      ...services.map((s) => `  public readonly ${field(s)}: ${CONSTRUCT[s.kind]};`),
      '',
      '  constructor(app: App, stage: StageConfig) {',
      ...body,
      '  }',
      '}',
      '',
    ];
    return lines.join('\n');
  }

  public main(): string {
    const lines = [
      this.header(`Builds a stage for \`habr-k8s synth --app <this folder>/main.ts\`, which validates it and writes ${this.outputRoot}/<stage>/.`),
      "import * as path from 'path';",
      "import { App } from 'cdk8s';",
      `import { ${this.stackClass} } from './stack';`,
      "import { STAGES } from './stages';",
      '',
      "const stageName = process.env.STAGE || 'dev';",
      'const stage = STAGES[stageName];',
      'if (!stage) throw new Error(`unknown stage ${JSON.stringify(stageName)}: use one of ${Object.keys(STAGES).join(\', \')}`);',
      '// OUTDIR overrides the folder, e.g. for a temporary synth.',
      `const outdir = process.env.OUTDIR || path.join(${quote(this.outputRoot)}, stage.name);`,
      'const app = new App({ outdir });',
      `new ${this.stackClass}(app, stage);`,
      'app.synth();',
      '',
    ];
    return lines.join('\n');
  }

  private header(summary: string): string {
    return `// ${summary}\n// Written once by \`habr-k8s import compose\` from ${this.options.composeFile}; the code is yours now.\n`;
  }

  private hostExample(): string {
    const served = this.plan.services.find((s) => s.port !== undefined);
    return served ? `\`${served.name}:${served.port}\`` : 'the service names';
  }

  private service(compose: string): ServicePlan {
    return this.plan.services.find((s) => s.compose === compose)!;
  }

  private props(s: ServicePlan): Record<string, SourceValue> {
    const key = propertyKey(s.name);
    const stageField = (group: string) => expr(key.startsWith("'") ? `stage.${group}[${key}]` : `stage.${group}.${key}`);
    const env = s.env.length ? Object.fromEntries(s.env) : undefined;
    const claims = s.volumeClaims.length ? { storage: stageField('storage'), storageClassName: expr('stage.storageClassName') } : {};
    const security = isPreset(s.kind)
      ? undefined
      : {
        runAsUser: s.runAsUser ?? (s.imageKnowsUser ? undefined : expr('stage.runAsUser')),
        runAsGroup: s.runAsGroup,
        writablePaths: s.writablePaths,
        readOnlyRootFilesystem: s.writableRoot ? false : undefined,
      };
    const served = s.kind !== 'worker' && s.kind !== 'job';
    // A StatefulSet's published ports: the construct adds their NodePort Service and admits them.
    const nodePorts = s.exposure && !exposedByOwnService(s) ? expr(`stage.publishPorts ? [${s.exposure.ports.join(', ')}] : undefined`) : undefined;
    const common = {
      name: s.name,
      serviceName: served ? s.name : undefined,
      nodePorts,
      image: stageField('images'),
      imagePullPolicy: s.build ? expr('stage.builtImagePullPolicy') : s.imagePullPolicy && expr(`ImagePullPolicy.${pullPolicyMember(s.imagePullPolicy)}`),
    };
    const container = {
      command: s.command,
      args: s.args,
      env,
      readiness: s.readiness as SourceValue,
      resources: s.resources as SourceValue,
      security,
      // A SQL preset mounts the Secret its password file is in itself; a second mount of it would clash.
      secretMounts: s.secretMount && !s.passwordSecret ? [{ secretName: s.secretMount.secretName, mountPath: s.secretMount.mountPath }] : undefined,
      configMapMounts: s.configMounts.length ? s.configMounts.map((m) => ({ configMapName: m.configMapName, mountPath: m.mountPath })) : undefined,
      hostAliases: s.hostAliases as SourceValue,
    };
    if (s.kind === 'mongo') return { ...common, rootUsername: s.rootUsername, ...claims, ...container };
    if (s.kind === 'redis') return { ...common, ...claims, ...container };
    if (isSqlPreset(s.kind)) {
      return {
        ...common,
        flavour: s.kind === 'mariadb' ? 'mariadb' : undefined,
        user: s.user,
        database: s.databaseName,
        passwordSecret: s.passwordSecret as SourceValue,
        ...claims,
        ...container,
      };
    }
    if (s.kind === 'job') return { ...common, restartPolicy: s.job!.restartPolicy, backoffLimit: s.job!.backoffLimit, ...container };
    const replicas = s.database ? undefined : expr(key.startsWith("'") ? `stage.replicas[${key}]` : `stage.replicas.${key}`);
    if (s.kind === 'stateful') {
      return {
        ...common,
        replicas,
        port: s.port,
        portName: s.portName,
        extraPorts: s.extraPorts.length ? s.extraPorts : undefined,
        volumeClaims: s.volumeClaims.map((c) => ({ name: c.name, mountPath: c.mountPath, storage: stageField('storage'), storageClassName: expr('stage.storageClassName') })),
        ...container,
      };
    }
    return {
      ...common,
      replicas,
      port: s.port,
      extraPorts: s.extraPorts.length ? s.extraPorts : undefined,
      serviceType: s.serviceType ? expr(`ServiceType.${s.serviceType === 'NodePort' ? 'NODE_PORT' : 'LOAD_BALANCER'}`)
        : s.exposure?.byStage && expr('stage.publishPorts ? ServiceType.NODE_PORT : ServiceType.CLUSTER_IP'),
      nodePort: s.nodePort,
      ingress: s.ingress && {
        host: s.ingress.host,
        ingressClassName: s.ingress.ingressClassName,
        tls: s.ingress.tlsSecret ? { secretName: s.ingress.tlsSecret } : undefined,
        // The app's NetworkPolicy admits the controller's pods (ingress-nginx's namespace).
        controller: expr('Peer.ingressController()'),
      },
      ...container,
    };
  }

  /** `declareExternalObject` for every Secret and ConfigMap created outside the manifests, with how to create it. */
  private externalObjects(): string[] {
    const lines: string[] = [];
    const declared = new Set<string>();
    const declare = (kind: string, name: SourceValue, comment: string) => {
      const id = `${kind}/${source(name)}`;
      if (declared.has(id)) return;
      declared.add(id);
      lines.push(`    // ${comment}`, `    declareExternalObject(app, { kind: '${kind}', name: ${source(name)}, namespace: stage.namespace });`);
    };
    for (const s of this.plan.services) {
      if (s.kind === 'mongo') {
        declare('Secret', expr(`this.${field(s)}.passwordSecretMount.secretName`),
          'The root password: kubectl create secret generic mongodb-secret -n <namespace> --from-file=password.txt');
      }
      if (isSqlPreset(s.kind) && !s.passwordSecret) {
        declare('Secret', expr(`this.${field(s)}.passwordSecretMount.secretName`),
          `The ${s.kind === 'postgres' ? 'superuser\'s' : 'root'} password: kubectl create secret generic ${s.name}-secret -n <namespace> --from-file=password`);
      }
      if (s.secretMount) {
        const sources = s.secretMount.keys.map((k) => `--from-file=${k.key}=${k.file ?? (k.environment ? `<(echo -n "$${k.environment}")` : '<file>')}`);
        declare('Secret', s.secretMount.secretName, `compose secrets of ${s.compose}, as files in /run/secrets: kubectl create secret generic ${s.secretMount.secretName} -n <namespace> ${sources.join(' ')}`);
      }
      for (const m of s.configMounts) {
        declare('ConfigMap', m.configMapName, `kubectl create configmap ${m.configMapName} -n <namespace> --from-file=${m.key}=${m.file ?? '<file>'}`);
      }
      if (s.ingress?.tlsSecret) declare('Secret', s.ingress.tlsSecret, `The TLS certificate of ${s.ingress.host}.`);
    }
    return lines;
  }
}

/** A build context as a path, the way a person points at a folder: `./api`. */
function contextPath(context: string): string {
  return /^[./~]/.test(context) || context.includes('://') ? context : `./${context}`;
}

function pullPolicyMember(policy: NonNullable<ServicePlan['imagePullPolicy']>): string {
  return policy === 'IfNotPresent' ? 'IF_NOT_PRESENT' : policy.toUpperCase();
}

/**
 * Whether the service is exposed through its own Service (a WebApp's NodePort or LoadBalancer),
 * whose ports the WebApp admits from every address; a StatefulSet's headless Service cannot be, so its
 * published ports get a NodePort Service of their own (`nodePorts`), which its construct admits.
 */
function exposedByOwnService(s: ServicePlan): boolean {
  return s.exposure !== undefined && s.kind === 'web';
}

function field(s: ServicePlan): string {
  const name = camelCase(s.name);
  return name === 'charts' ? 'chartsService' : name;
}

function chartVariable(s: ServicePlan): string {
  return `${camelCase(s.name)}Chart`;
}
