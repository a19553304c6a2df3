/** Writing TypeScript values as a person would: single quotes, bare keys, short objects on one line. */

/** A TypeScript expression, written as it is (e.g. `stage.images.backend`). */
export class Expression {
  constructor(public readonly code: string) {}
}

export function expr(code: string): Expression {
  return new Expression(code);
}

/** Values the generated code is made of. */
export type SourceValue = string | number | boolean | Expression | undefined | readonly SourceValue[] | { readonly [key: string]: SourceValue };

const LINE_WIDTH = 110;

export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

export function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

/** `value` as TypeScript at `indent` (the indentation of the line it starts on); undefined entries are left out. */
export function source(value: SourceValue, indent = ''): string {
  if (value instanceof Expression) return value.code;
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'undefined';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((item) => source(item, inner));
    const inline = `[${items.join(', ')}]`;
    return fits(inline, indent) ? inline : `[\n${items.map((item) => `${inner}${item},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, SourceValue>).filter(([, v]) => v !== undefined);
  if (!entries.length) return '{}';
  const items = entries.map(([key, item]) => `${propertyKey(key)}: ${source(item, inner)}`);
  const inline = `{ ${items.join(', ')} }`;
  return fits(inline, indent) ? inline : `{\n${items.map((item) => `${inner}${item},`).join('\n')}\n${indent}}`;
}

function fits(inline: string, indent: string): boolean {
  return !inline.includes('\n') && indent.length + inline.length <= LINE_WIDTH;
}

/** `kebab-or_snake.name` as `camelCase`, and as `PascalCase`. */
export function camelCase(name: string): string {
  return name.replace(/[-_.]+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase()).replace(/^[A-Z]/, (c) => c.toLowerCase());
}

export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}
