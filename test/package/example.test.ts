/** examples/shop type-checks against the public API, `habr-k8s` mapped to lib/index.ts as the package maps it to build/lib/index.d.ts. */
import * as path from 'path';
import * as ts from 'typescript';

const REPO = path.resolve(__dirname, '../..');

test('examples/shop/main.ts compiles with the strict settings of this repo, importing only habr-k8s and cdk8s', () => {
  const config = ts.readConfigFile(path.join(REPO, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO);
  const entry = path.join(REPO, 'examples/shop/main.ts');
  const program = ts.createProgram([entry], { ...options, noEmit: true, baseUrl: REPO, paths: { 'habr-k8s': ['lib/index.ts'] } });
  const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(problems).toEqual([]);
  const imports = program.getSourceFile(entry)!.statements
    .filter(ts.isImportDeclaration).map((statement) => (statement.moduleSpecifier as ts.StringLiteral).text);
  expect(imports.sort()).toEqual(['cdk8s', 'habr-k8s']);
});
