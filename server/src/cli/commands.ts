import { randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { AuthRepo } from '../auth/auth.repo.js';
import { AuthService } from '../auth/auth.service.js';
import { rebuildProjection } from '../collab/projection-rebuild.js';
import { conversionLines, convertImageCommand } from '../collab/region-conversion.cli.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { openDatabase } from '../runtime/database.js';
import { runServer } from '../runtime/start.js';
import { UsersRepo } from '../resources/users/users.repo.js';
import { UsersService } from '../resources/users/users.service.js';
import { uploadFile } from './upload.js';
import { datasetAddCommand, datasetImportCommand, datasetListCommand } from '../datasets/datasets.cli.js';
import { createVersion, exportVersion, importFile, listVersions } from '../versions/versions.cli.js';

/** `tessera start` / `tessera serve`. */
export async function serveCommand(config: Config, logger: Logger, bootstrap: boolean): Promise<void> {
  await runServer(config, logger, {
    bootstrap,
    announce: (m) => {
      console.log(m);
    },
  });
}

/** `tessera migrate`: connects (or starts the embedded database), applies migrations, exits. */
export async function migrateCommand(config: Config, logger: Logger): Promise<void> {
  const database = await openDatabase(config, logger);
  await database.close();
  console.log('Database is up to date.');
}

/** `tessera user create NAME`: the password comes from stdin or is generated and printed once. */
export async function userCreateCommand(
  config: Config,
  logger: Logger,
  o: { username: string; superuser: boolean; email: string | undefined; passwordFromStdin: boolean },
): Promise<void> {
  const password = o.passwordFromStdin
    ? (await text(process.stdin)).trim()
    : randomBytes(12).toString('base64url');
  if (password.length < 8) throw new Error('The password must be at least 8 characters.');
  const database = await openDatabase(config, logger);
  try {
    const id = await new UsersService(database.db).create('system', {
      username: o.username,
      password,
      email: o.email ?? null,
      is_superuser: o.superuser,
      is_staff: o.superuser,
      is_active: true,
    });
    console.log(`Created user ${o.username} (id ${id})${o.superuser ? ' as superuser' : ''}.`);
    if (!o.passwordFromStdin) console.log(`Password (shown once): ${password}`);
  } finally {
    await database.close();
  }
}

/** `tessera token create NAME --name LABEL`: prints the token once. */
export async function tokenCreateCommand(
  config: Config,
  logger: Logger,
  o: { username: string; name: string; expiresDays: number },
): Promise<void> {
  if (!Number.isInteger(o.expiresDays) || o.expiresDays < 1 || o.expiresDays > 3650) {
    throw new Error('--expires-days must be a whole number from 1 to 3650.');
  }
  const database = await openDatabase(config, logger);
  try {
    const userId = await new UsersRepo(database.db).idByUsername(o.username);
    if (userId === undefined) throw new Error(`No user named ${o.username}.`);
    const auth = new AuthService(new AuthRepo(database.db), config);
    const viewer = {
      id: userId,
      username: o.username,
      isSuperuser: false,
      isStaff: false,
      via: 'token' as const,
    };
    const created = await auth.createToken(viewer, { name: o.name, expires_in_days: o.expiresDays });
    console.log(created.token);
  } finally {
    await database.close();
  }
}

/** `tessera projection rebuild [DOCUMENT...]`: rewrites the annotation rows from the documents. */
export async function projectionRebuildCommand(
  config: Config,
  logger: Logger,
  documents: string[],
): Promise<void> {
  const database = await openDatabase(config, logger);
  try {
    const result = await rebuildProjection(
      database.db,
      documents.length > 0 ? documents : undefined,
      (name, n) => {
        console.log(`${name}\t${n} annotations`);
      },
    );
    console.log(`Rebuilt ${result.annotations} annotations of ${result.documents} documents.`);
    if (result.repaired + result.quarantined > 0) {
      console.log(
        `${result.repaired} held text PostgreSQL cannot store (written with U+FFFD in its place); ` +
          `${result.quarantined} were refused and left out (see the log).`,
      );
    }
  } finally {
    await database.close();
  }
}

/** `tessera upload SET FILES...`: uploads through the REST API with a progress bar per file. */
export async function uploadCommand(
  config: Config,
  o: { imageSet: number; files: string[]; username: string | undefined; passwordFromStdin: boolean },
): Promise<number> {
  const authorization = await clientAuthorization(config, o);
  let failures = 0;
  for (const file of o.files) {
    const outcome = await uploadFile({ baseUrl: config.clientUrl, authorization }, o.imageSet, file);
    const body = outcome.body as { results?: { id: number; name: string }[]; skipped?: { reason: string }[] };
    if (outcome.status !== 201) failures++;
    for (const image of body.results ?? []) console.log(`${file}\timage ${image.id}\t${image.name}`);
    for (const skipped of body.skipped ?? []) console.log(`${file}\tskipped: ${skipped.reason}`);
  }
  return failures === 0 ? 0 : 1;
}

/** How the command-line client authenticates: TESSERA_TOKEN, or a user's password read from stdin. */
async function clientAuthorization(
  config: Config,
  o: { username: string | undefined; passwordFromStdin: boolean },
): Promise<string> {
  if (config.clientToken !== undefined) return `Bearer ${config.clientToken}`;
  if (o.username !== undefined && o.passwordFromStdin) {
    const password = (await text(process.stdin)).trim();
    return `Basic ${Buffer.from(`${o.username}:${password}`).toString('base64')}`;
  }
  throw new Error('Authenticate with TESSERA_TOKEN=pat_... or --user NAME --password-stdin.');
}

/** `tessera dataset list|add|import` against the server at TESSERA_URL. */
export async function datasetCommand(
  config: Config,
  o: {
    sub: 'list' | 'add' | 'import';
    /** The data set (add) or the folder or zip (import). */
    name: string | undefined;
    /** The image set's name (import). */
    title: string | undefined;
    team: string | undefined;
    seed: string | undefined;
    username: string | undefined;
    passwordFromStdin: boolean;
  },
): Promise<void> {
  const target = { baseUrl: config.clientUrl, authorization: await clientAuthorization(config, o) };
  if (o.sub === 'list') await datasetListCommand(target);
  else if (o.sub === 'add')
    await datasetAddCommand(target, { name: o.name ?? '', team: o.team, seed: o.seed });
  else await datasetImportCommand(target, { path: o.name ?? '', team: o.team, name: o.title });
}

/** `tessera version create|list|export` against TESSERA_URL. */
export async function versionCommand(
  config: Config,
  o: {
    sub: string;
    arg: string | undefined;
    name: string | undefined;
    description: string | undefined;
    format: string | undefined;
    out: string | undefined;
    username: string | undefined;
    passwordFromStdin: boolean;
  },
): Promise<number> {
  const target = { baseUrl: config.clientUrl, authorization: await clientAuthorization(config, o) };
  const ids = (value: string | undefined) =>
    value !== undefined && /^\d+(,\d+)*$/.test(value) ? value.split(',').map(Number) : undefined;
  if (o.sub === 'create') {
    const sets = ids(o.arg);
    if (!sets || o.name === undefined)
      throw new Error('Usage: tessera version create SET[,SET...] --name NAME');
    const created = await createVersion(target, {
      imageSets: sets,
      name: o.name,
      ...(o.description === undefined ? {} : { description: o.description }),
    });
    console.log(`version ${created.id}\t${created.name}\t${created.images.length} images`);
    return 0;
  }
  if (o.sub === 'list') {
    const set = ids(o.arg)?.[0];
    for (const v of await listVersions(target, set)) {
      console.log(`${v.id}\t${v.time}\t${v.automatic ? 'automatic' : 'manual'}\t${v.name}`);
    }
    return 0;
  }
  const version = ids(o.arg)?.[0];
  if (o.sub !== 'export' || version === undefined)
    throw new Error('Usage: tessera version create|list|export');
  const format = o.format ?? 'coco';
  await exportVersion(target, {
    version,
    format,
    out: o.out ?? `version_${version}.${format === 'coco' ? 'json' : format}`,
  });
  return 0;
}

/** `tessera import SET FILE --format coco|geojson|exact [--generated] [--image ID]` against TESSERA_URL. */
export async function importCommand(
  config: Config,
  o: {
    imageSet: number;
    file: string;
    format: string | undefined;
    generated: boolean;
    image: string | undefined;
    username: string | undefined;
    passwordFromStdin: boolean;
  },
): Promise<number> {
  const target = { baseUrl: config.clientUrl, authorization: await clientAuthorization(config, o) };
  const report = await importFile(target, {
    imageSet: o.imageSet,
    file: o.file,
    format: o.format ?? 'coco',
    generated: o.generated,
    ...(o.image === undefined ? {} : { image: Number(o.image) }),
  });
  console.log(`imported ${report.imported}, updated ${report.updated}, skipped ${report.skipped.length}`);
  for (const skipped of report.skipped) console.log(`skipped ${skipped.item}: ${skipped.reason}`);
  return 0;
}

/** `tessera documents regions IMAGE [--size N]` against TESSERA_URL (superusers). */
export async function documentsCommand(
  config: Config,
  o: {
    sub: string;
    image: string | undefined;
    size: string | undefined;
    username: string | undefined;
    passwordFromStdin: boolean;
  },
): Promise<number> {
  if (o.sub !== 'regions' || o.image === undefined || !/^[1-9][0-9]{0,9}$/.test(o.image))
    throw new Error('Usage: tessera documents regions IMAGE [--size N]');
  if (o.size !== undefined && !/^[1-9][0-9]{0,6}$/.test(o.size))
    throw new Error('--size is a whole number of pixels (256 to 1000000).');
  const target = { baseUrl: config.clientUrl, authorization: await clientAuthorization(config, o) };
  const report = await convertImageCommand(target, {
    imageId: Number(o.image),
    size: o.size === undefined ? undefined : Number(o.size),
  });
  for (const line of conversionLines(report)) console.log(line);
  return 0;
}
