// Writes one benchmark's section of docs/benchmarks.md, between markers, leaving the others alone.
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

/** Replaces (or appends) the section named `name` with `body`, stamped with date and machine. */
export async function recordBenchmark(name, body) {
  const header = '# Benchmarks\n\nFigures written by the scripts in bench/ (`node bench/<name>/run.js`).\n';
  let text = await readFile(file, 'utf8').catch(() => header);
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const stamp = `Measured ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`;
  const section = `${start}\n## ${name}\n\n${stamp}\n\n${body}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text =
    from >= 0 && to > from
      ? text.slice(0, from) + section + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(file, text);
}
