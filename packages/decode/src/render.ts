import type { Explanation, Field, TokenExplanation } from './types.js';

/** The human-readable form of an explanation: an indented tree, one field a line. */
export function renderText(e: Explanation): string {
  const lines: string[] = [];
  const head = [`input: ${e.input.form}, ${e.input.bytes} bytes`];
  if (e.input.header !== undefined) head.push(`header ${e.input.header}`);
  if (e.input.scheme !== undefined) head.push(`scheme ${e.input.scheme}`);
  lines.push(head.join(', '));
  for (const t of e.tokens) token(t, 0, lines);
  return lines.join('\n');
}

function token(t: TokenExplanation, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  lines.push(`${pad}${t.summary}`);
  for (const f of t.fields) fieldLines(f, depth + 1, lines);
  if (t.stopped !== undefined) {
    const at = t.stopped.at !== undefined ? ` at byte ${t.stopped.at}` : '';
    lines.push(`${pad}  !! stopped${at}: ${t.stopped.reason}`);
  }
  for (const i of t.inner ?? []) token(i, depth + 1, lines);
}

function fieldLines(f: Field, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  lines.push(f.value !== undefined ? `${pad}${f.label}: ${f.value}` : `${pad}${f.label}`);
  for (const c of f.children ?? []) fieldLines(c, depth + 1, lines);
}
