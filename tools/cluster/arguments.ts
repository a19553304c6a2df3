/** The options `npm run cluster` and `npm run test:cluster` share. */
export interface ClusterArguments {
  readonly nodes?: number;
  /** What follows `--`: the command to run against the cluster. */
  readonly command: readonly string[];
}

/** Parses `[--nodes N] [-- command ...]`; exits with code 2 and the usage line on anything else. */
export function parseClusterArguments(args: readonly string[], usage: string): ClusterArguments {
  let nodes: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return { nodes, command: args.slice(i + 1) };
    if (arg === '--nodes' && /^[1-9]\d?$/.test(args[i + 1] ?? '')) nodes = Number(args[++i]);
    else {
      console.error(`${arg === '--nodes' ? '--nodes needs a number from 1 to 99' : `unknown argument ${arg}`}\n${usage}`);
      process.exit(2);
    }
  }
  return { nodes, command: [] };
}
