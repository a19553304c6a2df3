import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as ts from 'typescript';
import * as api from '../lib';
import { renderApp, WebApp, WebAppProps } from '../lib';

/**
 * The package root is the public API. Its names are listed here, so that adding one is a
 * reviewed change; everything else is imported from its module inside this repository.
 */
const ROOT_NAMES = [
  'AppConfig', 'AppConfigProps', 'BatchJob', 'BatchJobProps', 'chartValues', 'ChartValuesOptions', 'Connections', 'declareExternalObject',
  'DefaultDenyEgress', 'DefaultDenyEgressProps', 'DefaultDenyIngress', 'DefaultDenyIngressProps', 'DisruptionBudgetProps',
  'ExternalObject', 'Finding', 'HpaPolicy', 'HpaPolicyProps', 'HttpRoute', 'HttpRouteProps', 'IAutoscalable', 'IConnections',
  'IngressedService', 'IngressedServiceProps', 'IngressOptions', 'InitContainerProps', 'IntendedConnection', 'intendedConnections', 'IPodTarget', 'KubeObject',
  'MongoStatefulSet', 'MongoStatefulSetProps', 'NodeAffinityProps', 'Peer', 'PodAffinityProps', 'ProbeProps', 'PropProblem',
  'PropsError', 'RedisStatefulSet', 'RedisStatefulSetProps', 'ReleasedWebApp', 'ReleasedWebAppProps', 'ReleaseStrategy',
  'ReleaseVersion', 'ReleaseVersionSettings', 'renderApp', 'RenderedApp', 'RenderedObjects', 'ResourceProps',
  'RestrictedNamespace', 'RestrictedNamespaceProps', 'RolloutProps', 'ScheduledJob', 'ScheduledJobProps', 'SecurityProps',
  'StatefulApp', 'StatefulAppBase', 'StatefulAppProps', 'SynthesisError', 'synthesize', 'synthesizeAndReport',
  'SynthesizedApp', 'SynthesizeOptions', 'ValidationReport', 'VolumeClaimProps', 'WebApp', 'WebAppProps', 'WorkloadBase',
  'WorkloadDisruptionBudget', 'WorkloadDisruptionBudgetProps',
];

const MAX_ROOT_NAMES = 80;
const INDEX = path.resolve(__dirname, '../lib/index.ts');

const byName = (a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase());

interface RootExport {
  readonly name: string;
  /** False for interfaces and type aliases, which exist only for the compiler. */
  readonly isValue: boolean;
  readonly declarations: readonly ts.Declaration[];
}

/** The root's exports as the compiler sees them: types included, each resolved to where it is declared. */
function rootExports(): RootExport[] {
  const program = ts.createProgram([INDEX], { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!;
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    return { name: exported.name, isValue: (target.flags & ts.SymbolFlags.Value) !== 0, declarations: target.declarations ?? [] };
  });
}

/** The doc comments right above a declaration (above its statement, for `export const`). */
function docComments(declaration: ts.Declaration): string[] {
  const holder = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  const text = holder.getSourceFile().text;
  return (ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? [])
    .map((range) => text.slice(range.pos, range.end))
    .filter((comment) => comment.startsWith('/**'));
}

describe('the root export is the public API', () => {
  const exports = rootExports();

  test('exports exactly the listed names, in a list kept sorted', () => {
    expect([...ROOT_NAMES].sort(byName)).toEqual(ROOT_NAMES);
    expect(exports.map((e) => e.name).sort(byName)).toEqual(ROOT_NAMES);
  });

  test(`has at most ${MAX_ROOT_NAMES} names`, () => {
    expect(exports.length).toBeLessThanOrEqual(MAX_ROOT_NAMES);
  });

  test('the module loaded at run time holds exactly the values among them', () => {
    expect(Object.keys(api).sort(byName)).toEqual(exports.filter((e) => e.isValue).map((e) => e.name).sort(byName));
  });

  test('no root export is tagged @internal', () => {
    const internal = exports.filter((e) => e.declarations.some((d) => docComments(d).some((comment) => /@internal\b/.test(comment))));
    expect(internal.map((e) => e.name)).toEqual([]);
  });

  test('the @internal check reads the doc comments of classes, interfaces and constants', () => {
    const source = ts.createSourceFile('probe.ts', [
      '/** A class. @internal */', 'export class Hidden {}',
      '/**', ' * A constant.', ' * @internal', ' */', 'export const HIDDEN = 1;',
      '/** Shown. */', 'export interface Shown {}',
    ].join('\n'), ts.ScriptTarget.ES2022, true);
    const [hiddenClass, hiddenConstant, shownInterface] = source.statements;
    const declarations: ts.Declaration[] = [
      hiddenClass as ts.ClassDeclaration, (hiddenConstant as ts.VariableStatement).declarationList.declarations[0], shownInterface as ts.InterfaceDeclaration,
    ];
    expect(declarations.map((d) => docComments(d).some((comment) => /@internal\b/.test(comment)))).toEqual([true, true, false]);
  });

  test('a shape left out of the root is named through the prop that takes it', () => {
    const toleration: NonNullable<WebAppProps['tolerations']>[number] = { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' };
    const app = new App();
    new WebApp(new Chart(app, 'shop', { namespace: 'shop' }), 'Api', { name: 'api', image: 'shop/api:1.2.3', port: 8080, tolerations: [toleration] });
    const deployment = renderApp(app).objects.map((o) => o.object).find((o) => o.kind === 'Deployment');
    expect(deployment).toMatchObject({ spec: { template: { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }] } } } });
  });
});
