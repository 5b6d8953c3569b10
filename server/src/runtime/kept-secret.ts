import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A random secret generated on first use and kept in `dataDir/name`, readable by its owner only
 * (0600), so restarts get the same one. Several processes starting at once agree on one file.
 */
export async function keptSecret(dataDir: string, name: string): Promise<string> {
  const file = path.join(dataDir, name);
  const kept = await readKept(file);
  if (kept !== undefined) return kept;
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  // Written whole under a private name, then linked into place: the kept file never exists half
  // written (a crash or a process reading it at the same moment would get an empty secret).
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(draft, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, file);
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
    const theirs = await readKept(file);
    if (theirs === undefined)
      throw new Error(`${file} vanished while it was being created`, { cause: error });
    return theirs;
  } finally {
    await unlink(draft);
  }
}

/** The secret kept in `file`, or undefined if there is none; an empty file is refused, never used. */
async function readKept(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret === '') throw new Error(`${file} is empty (a write cut short): it holds no secret`);
  return secret;
}
