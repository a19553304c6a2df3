/** The README's marked blocks: the example it embeds, the edits it shows and the bin's output it quotes. */
import * as fs from 'fs';
import * as path from 'path';

export const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** The fenced block right after each `<!-- <kind>: <name> -->` line of `markdown`, by name. */
export function markedBlocks(markdown: string, kind: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const [, name, body] of markdown.matchAll(new RegExp(`^<!-- ${kind}: (\\S+) -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))) {
    if (blocks.has(name)) throw new Error(`README: two blocks marked ${kind}: ${name}`);
    blocks.set(name, body);
  }
  return blocks;
}

/** The edit a `diff` block shows: its removed lines and the lines that replace them. */
export function editOf(diff: string): { removed: string; added: string } {
  const lines = diff.split('\n').filter((line) => line !== '');
  const strange = lines.filter((line) => !/^[-+]/.test(line));
  if (strange.length) throw new Error(`README: an edit has lines that neither remove nor add: ${strange.join(' | ')}`);
  const text = (sign: string) => lines.filter((line) => line.startsWith(sign)).map((line) => `${line.slice(1)}\n`).join('');
  return { removed: text('-'), added: text('+') };
}
