import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { annotationsOf, createAnnotation } from '@tessera/shared';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { useTestDatabase } from './database.js';
import { Factories, type TestUser } from './factories.js';
import { freePort } from './process.js';
import { AuthRepo } from '../../server/src/auth/auth.repo.js';
import { AuthService } from '../../server/src/auth/auth.service.js';
import { SESSION_COOKIE } from '../../server/src/auth/authenticate.middleware.js';
import type { Database } from '../../server/src/db/database.js';
import { DocumentsRepo } from '../../server/src/collab/documents.repo.js';
import { ImageSetsRepo } from '../../server/src/resources/image-sets/image-sets.repo.js';
import { ImagesRepo } from '../../server/src/resources/images/images.repo.js';
import { createLogger } from '../../server/src/logging/logger.js';
import {
  attachCollaboration,
  COLLAB_PATH,
  type Collaboration,
} from '../../server/src/collab/collab.server.js';

/** A real HTTP server on a free port with the collaboration endpoint, over this file's database. */
export interface CollabHarness {
  readonly db: Database;
  /** The connection string of this file's database (for other processes). */
  readonly databaseUrl: string;
  readonly auth: AuthService;
  readonly factories: Factories;
  readonly url: string;
  readonly collab: Collaboration;
  /** Closes the server and starts a fresh one (new Hocuspocus, same database). */
  restart(options?: { compactEvery?: number }): Promise<void>;
  /**
   * Starts another server on the same database, sharing documents with this one through Redis (the
   * harness's own Redis, see `redis`); closed with the harness.
   */
  startPeer(options?: {
    /** Another Redis than the harness's (one that is not running yet, say). */
    redisUrl?: string;
  }): Promise<{ readonly url: string; readonly collab: Collaboration }>;
  /** Starts a redis-server on `port`, stopped after the servers when the file's tests end. */
  startRedisAt(port: number): Promise<void>;
  /** A provider for `name`, authenticated by a session cookie or a personal access token. */
  connect(name: string, as: Credentials, url?: string): Client;
}

/** How a test client authenticates: a session cookie (sent from `origin` if given) or a token. */
export interface Credentials {
  readonly cookie?: string;
  readonly token?: string;
  readonly origin?: string;
}

/** One connected client: its document, provider and what the server told it. */
export interface Client {
  readonly doc: Y.Doc;
  readonly provider: HocuspocusProvider;
  readonly socket: HocuspocusProviderWebsocket;
  /** Reasons of `close` messages and authentication failures, in order. */
  readonly refusals: string[];
  readonly authenticated: () => boolean;
  destroy(): void;
}

export function useCollabServer(
  options: {
    compactEvery?: number;
    accessSweepMs?: number;
    /** Share documents through a redis-server of this file's own (started on a free port). */
    redis?: boolean;
  } = {},
): CollabHarness {
  const database = useTestDatabase();
  const logger = createLogger('silent');
  let server: http.Server | undefined;
  let collab: Collaboration | undefined;
  let auth: AuthService | undefined;
  let port = 0;
  const clients: Client[] = [];
  const peers: { server: http.Server; collab: Collaboration }[] = [];

  let redisUrl: string | undefined;
  let redis: ChildProcess | undefined;
  const moreRedis: ChildProcess[] = [];
  const serve = async (compactEvery = options.compactEvery, sharedThrough = redisUrl) => {
    const httpServer = http.createServer((_req, res) => {
      res.writeHead(404).end();
    });
    const attached = attachCollaboration(httpServer, {
      db: database.db,
      auth: ready(auth),
      logger,
      compactEvery,
      accessSweepMs: options.accessSweepMs,
      redisUrl: sharedThrough,
    });
    await attached.listening;
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    return { server: httpServer, collab: attached, port: (httpServer.address() as AddressInfo).port };
  };
  const start = async (compactEvery = options.compactEvery) => {
    auth = new AuthService(new AuthRepo(database.db), { sessionTtlHours: 24 });
    ({ server, collab, port } = await serve(compactEvery));
  };
  const stop = async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const peer of peers.splice(0)) {
      await peer.collab.close();
      peer.server.close();
    }
    await collab?.close();
    const s = server;
    if (s) {
      await new Promise<void>((resolve) => {
        s.close(() => {
          resolve();
        });
      });
    }
  };
  beforeAll(async () => {
    if (options.redis === true) ({ redis, url: redisUrl } = await startRedis());
    await start();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });
  afterAll(async () => {
    await stop();
    redis?.kill('SIGKILL');
    for (const other of moreRedis) other.kill('SIGKILL');
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useCollabServer(): only inside tests');
    return value;
  };
  return {
    get db() {
      return database.db;
    },
    get databaseUrl() {
      return database.url;
    },
    get auth() {
      return ready(auth);
    },
    get factories() {
      return new Factories(database.db);
    },
    get url() {
      return `ws://127.0.0.1:${port}${COLLAB_PATH}`;
    },
    get collab() {
      return ready(collab);
    },
    async startPeer(o = {}) {
      const peer = await serve(options.compactEvery, o.redisUrl ?? redisUrl);
      peers.push(peer);
      return { url: `ws://127.0.0.1:${peer.port}${COLLAB_PATH}`, collab: peer.collab };
    },
    async startRedisAt(port) {
      moreRedis.push((await startRedis(port)).redis);
    },
    async restart(o = {}) {
      await stop();
      await start(o.compactEvery ?? options.compactEvery);
    },
    connect(name, as, url = `ws://127.0.0.1:${port}${COLLAB_PATH}`) {
      const client = openClient(url, name, as);
      clients.push(client);
      return client;
    },
  };
}

/** A redis-server on `port` (a free one by default), answering once it accepts connections. */
async function startRedis(port?: number): Promise<{ redis: ChildProcess; url: string }> {
  port ??= await freePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    redis.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('Ready to accept connections')) resolve();
    });
    redis.once('error', reject);
    redis.once('exit', () => {
      reject(new Error(`redis-server exited:\n${out}`));
    });
  });
  return { redis, url: `redis://127.0.0.1:${port}` };
}

export function openClient(url: string, name: string, as: Credentials): Client {
  const headers: Record<string, string> = {};
  if (as.cookie !== undefined) headers.cookie = `${SESSION_COOKIE}=${as.cookie}`;
  if (as.origin !== undefined) headers.origin = as.origin;
  // The browser sends its cookies with the upgrade request; ws needs them as a header.
  class CookieWebSocket extends WebSocket {
    constructor(address: string) {
      super(address, { headers });
    }
  }
  const doc = new Y.Doc();
  const refusals: string[] = [];
  let authenticated = false;
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: CookieWebSocket });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: doc,
    token: as.token ?? 'session',
    onAuthenticated: () => {
      authenticated = true;
    },
    onAuthenticationFailed: ({ reason }) => refusals.push(reason),
    onClose: ({ event }) => {
      if (event.reason !== '') refusals.push(event.reason);
    },
  });
  provider.attach();
  return {
    doc,
    provider,
    socket,
    refusals,
    authenticated: () => authenticated,
    destroy: () => {
      provider.destroy();
      socket.destroy();
    },
  };
}

/** Takes a client off the network; its edits meanwhile wait in its Y.Doc until `socket.connect()`. */
export async function goOffline(client: Client): Promise<void> {
  const disconnected = new Promise<void>((resolve) => {
    const done = () => {
      client.socket.off('disconnect', done);
      resolve();
    };
    client.socket.on('disconnect', done);
  });
  client.socket.disconnect();
  await disconnected;
}

/** Waits until the server has acknowledged every change the client sent. */
export function saved(client: Client, timeout = 5_000): Promise<void> {
  return vi.waitFor(
    () => {
      if (!client.provider.isSynced || client.provider.unsyncedChanges > 0) {
        throw new Error('the server has not acknowledged every change yet');
      }
    },
    { timeout },
  );
}

let barriers = 0;

/**
 * Resolves once `to` sees a presence change `from` makes now. The server handles one socket's
 * messages in order and sends on one socket in order, so by then the server has handled everything
 * `from` sent before, and `to` has received everything the server sent it before: a test proves that
 * something did not arrive by passing this barrier, not by sleeping. (Presence passes the commit
 * gate like any message: no barrier passes while the gate holds a log write.)
 */
export async function presenceBarrier(from: Client, to: Client): Promise<void> {
  const mark = { x: ++barriers, y: 0 };
  from.provider.setAwarenessField('cursor', mark);
  const id = from.provider.awareness?.clientID;
  await expect
    .poll(
      () => (to.provider.awareness?.getStates().get(id ?? -1) as { cursor?: unknown } | undefined)?.cursor,
      {
        message: 'the presence barrier',
      },
    )
    .toEqual(mark);
}

/** A team with an admin, a member and an image set (blind when asked) holding one image and two types. */
export async function makeFixture(
  h: Pick<CollabHarness, 'db' | 'factories'>,
  o: { blind?: boolean; public?: boolean } = {},
) {
  const f = h.factories;
  const [admin, member, other, outsider] = [await f.user(), await f.user(), await f.user(), await f.user()];
  const team = await f.team({ admins: [admin], members: [member, other] });
  const imageSet = await f.imageSet(team, admin, { public: o.public ?? false });
  if (o.blind === true) await new ImageSetsRepo(h.db).update(imageSet, { collaboration_type: 1 });
  const product = await f.product(team, admin, [imageSet]);
  const boxType = await f.annotationType(product, { vector_type: 1 });
  const otherBoxType = await f.annotationType(product, { vector_type: 1 });
  const polygonType = await f.annotationType(product, { vector_type: 5 });
  const image = await new ImagesRepo(h.db).insert({
    imageSetId: imageSet,
    name: 'slide.svs',
    filename: 'slide.svs',
    originalFilename: 'slide.svs',
    contentSha256: Buffer.alloc(32, imageSet),
    sizeBytes: 1,
    storagePath: `imageset_${imageSet}/slide.svs`,
    imageType: 0,
    uploadedBy: admin.id,
  });
  return {
    admin,
    member,
    other,
    outsider,
    team,
    imageSet,
    product,
    boxType,
    otherBoxType,
    polygonType,
    image,
  };
}

/** A browser session for `user` (the cookie's value). */
export async function sessionOf(h: CollabHarness, user: TestUser): Promise<string> {
  const session = await h.auth.login(user.username, user.password, { ip: '127.0.0.1', userAgent: null });
  return session.sessionToken;
}

/** A personal access token of `user`. */
export async function tokenOf(h: CollabHarness, user: TestUser): Promise<string> {
  const viewer = {
    id: user.id,
    username: user.username,
    isSuperuser: false,
    isStaff: false,
    via: 'session' as const,
  };
  return (await h.auth.createToken(viewer, { name: 'collab test', expires_in_days: null })).token;
}

/** Creates `count` small boxes of the fixture's box type on a client, as `userId`; their ids. */
export function addBoxes(
  client: Client,
  fx: Awaited<ReturnType<typeof makeFixture>>,
  userId: number,
  count: number,
): string[] {
  return Array.from({ length: count }, (_, i) =>
    createAnnotation(
      client.doc,
      { id: randomUUID(), type: fx.boxType, vector: { x1: i, y1: i, x2: i + 10, y2: i + 10 } },
      { userId },
    ),
  );
}

/** The ids of a document's annotations as stored in PostgreSQL (compacted state and log). */
export async function storedAnnotationIds(db: Database, name: string): Promise<Set<string>> {
  const doc = new Y.Doc();
  for (const update of await new DocumentsRepo(db).storedUpdates(name)) Y.applyUpdate(doc, update);
  return new Set(annotationsOf(doc).keys());
}
