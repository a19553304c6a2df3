// The deploy commands in a process of their own, for the cluster suite: the client they use is an
// ES module, which jest's module loader cannot load. `habr-k8s <command>` runs the same commands.
import { describeError, UserError } from '../../lib/cli/command';
import { COMMANDS } from '../../lib/cli/commands';

const [name, ...args] = process.argv.slice(2);
const command = COMMANDS.find((candidate) => candidate.name === name);
if (!command) {
  console.error(`unknown command ${name}; one of ${COMMANDS.map((candidate) => candidate.name).join(', ')}`);
  process.exit(2);
}
command.run(args, {
  cwd: process.cwd(),
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
}).then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  console.error(`${name}: ${describeError(error, process.cwd())}`);
  if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
  process.exitCode = error instanceof UserError ? error.exitCode : 1;
});
