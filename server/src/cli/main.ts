#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { failureMessage } from './failure-message.js';
import { runWorker } from '../runtime/worker.js';
import {
  datasetCommand,
  documentsCommand,
  importCommand,
  migrateCommand,
  projectionRebuildCommand,
  serveCommand,
  tokenCreateCommand,
  uploadCommand,
  userCreateCommand,
  versionCommand,
} from './commands.js';

const usage = `Usage: tessera <command>

  start                          run Tessera (creates the first superuser on an empty database)
  serve                          run the server only (no first-user bootstrap)
  migrate                        apply pending database migrations and exit
  worker                         run plugin jobs only (more workers for the job queue; needs the
                                 server's database, tiler and TESSERA_PLUGINS_DIR)
  user create NAME [--superuser] [--email ADDRESS] [--password-stdin]
                                 create a user; prints a generated password unless one is piped in
  token create NAME --name LABEL [--expires-days N]
                                 create a personal access token for user NAME; prints it once
  documents regions IMAGE [--size N]
                                 split image IMAGE's annotation documents into regions of N pixels
                                 (default 4096; one-way; a superuser's TESSERA_TOKEN, server at
                                 TESSERA_URL); a second run finishes one that stopped half way
  projection rebuild [DOCUMENT...]
                                 rewrite the SQL rows of annotations from the live documents (all, or
                                 the named ones, e.g. image.12)
  upload SET FILE... [--user NAME --password-stdin]
                                 upload files into image set SET of the server at TESSERA_URL,
                                 authenticated by TESSERA_TOKEN (or the user's password on stdin)
  version create SET[,SET...] --name NAME [--description TEXT]
                                 freeze image sets as a dataset version (server at TESSERA_URL)
  version list [SET]             the versions you may see (of one image set)
  version export ID [--format coco|geojson|csv] [--out FILE]
                                 stream a version's export to a file, with progress
  import SET FILE --format coco|geojson|exact [--generated] [--image ID]
                                 import annotations into image set SET (COCO, QuPath GeoJSON, label lines)
  dataset list                   the predefined data sets of the server at TESSERA_URL (TESSERA_TOKEN)
  dataset add NAME [--team T] [--seed N]
                                 set data set NAME up in team T (id or name; default the demo team)
  dataset import PATH [--team T] [--name N]
                                 a folder or zip of images and COCO/GeoJSON/EXACT label files becomes
                                 a new image set in team T

Configuration comes from the environment (PORT, DATABASE_URL, TESSERA_DATA_DIR, ...): see README.md.`;

/** Dispatches the command line; exit code 1 on any failure, 2 on bad usage. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      superuser: { type: 'boolean', default: false },
      email: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      name: { type: 'string' },
      'expires-days': { type: 'string' },
      user: { type: 'string' },
      team: { type: 'string' },
      seed: { type: 'string' },
      description: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      generated: { type: 'boolean', default: false },
      image: { type: 'string' },
      size: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help || command === undefined) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel, config.logFormat);
  switch (command) {
    case 'start':
    case 'serve':
      await serveCommand(config, logger, command === 'start');
      return 0;
    case 'migrate':
      await migrateCommand(config, logger);
      return 0;
    case 'worker':
      await runWorker(config, logger, (line) => {
        console.log(line);
      });
      return 0;
    case 'user':
      if (sub !== 'create' || arg === undefined) break;
      await userCreateCommand(config, logger, {
        username: arg,
        superuser: values.superuser,
        email: values.email,
        passwordFromStdin: values['password-stdin'],
      });
      return 0;
    case 'token':
      if (sub !== 'create' || arg === undefined || values.name === undefined) break;
      await tokenCreateCommand(config, logger, {
        username: arg,
        name: values.name,
        expiresDays: values['expires-days'] === undefined ? 90 : Number(values['expires-days']),
      });
      return 0;
    case 'documents':
      if (sub === undefined) break;
      return documentsCommand(config, {
        sub,
        image: arg,
        size: values.size,
        username: values.user,
        passwordFromStdin: values['password-stdin'],
      });
    case 'projection':
      if (sub !== 'rebuild') break;
      await projectionRebuildCommand(config, logger, positionals.slice(2));
      return 0;
    case 'upload': {
      const files = positionals.slice(2);
      if (sub === undefined || !/^\d+$/.test(sub) || files.length === 0) break;
      return uploadCommand(config, {
        imageSet: Number(sub),
        files,
        username: values.user,
        passwordFromStdin: values['password-stdin'],
      });
    }
    case 'version':
      if (sub === undefined) break;
      return versionCommand(config, {
        sub,
        arg,
        name: values.name,
        description: values.description,
        format: values.format,
        out: values.out,
        username: values.user,
        passwordFromStdin: values['password-stdin'],
      });
    case 'import': {
      const file = positionals[2];
      if (sub === undefined || !/^\d+$/.test(sub) || file === undefined) break;
      return importCommand(config, {
        imageSet: Number(sub),
        file,
        format: values.format,
        generated: values.generated,
        image: values.image,
        username: values.user,
        passwordFromStdin: values['password-stdin'],
      });
    }
    case 'dataset': {
      if (sub !== 'list' && !((sub === 'add' || sub === 'import') && arg !== undefined)) break;
      await datasetCommand(config, {
        sub,
        name: arg,
        title: values.name,
        team: values.team,
        seed: values.seed,
        username: values.user,
        passwordFromStdin: values['password-stdin'],
      });
      return 0;
    }
  }
  console.error(usage);
  return 2;
}

// Holds the event loop open until the command settles: a child's stdio handles alone (embedded
// PostgreSQL during start-up) do not always keep Node alive, and draining the loop mid-await would end
// the process silently with exit code 0.
const keepAlive = setInterval(() => undefined, 60_000);

main(process.argv.slice(2)).then(
  (code) => {
    clearInterval(keepAlive);
    process.exitCode = code;
  },
  (error: unknown) => {
    clearInterval(keepAlive);
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(`tessera: ${failureMessage(error)}`);
    process.exitCode = 1;
  },
);
