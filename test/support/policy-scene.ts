import type { PolicyObject } from '../../server/src/api/endpoint-policy.js';
import type { Subject } from '../../server/src/access/policy/rules.js';
import { standingOf } from '../../server/src/access/policy/standing.js';
import { Factories, type TestUser } from './factories.js';
import { ApiClient } from './http.js';
import type { TestServer } from './server.js';

/** The callers of the authorization matrix, each seen from every object of the scene. */
export const ROLE_NAMES = [
  'anonymous',
  'outsider',
  'public reader',
  'member',
  'blind peer',
  'team admin',
  'superuser',
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface SceneRole {
  readonly name: RoleName;
  /** null for the anonymous caller. */
  readonly user: TestUser | null;
  /** A personal access token for live documents (null when anonymous). */
  readonly token: string | null;
  readonly superuser: boolean;
  /** Membership in the scene's team: true admin, false member, null none. */
  readonly isAdmin: boolean | null;
}

export interface SceneSet {
  readonly id: number;
  readonly mode: 0 | 1 | 2;
  readonly public: boolean;
  readonly image: number;
}

/** One object of the scene and where it lives, as the rules need it. */
export interface SceneObject {
  readonly kind: PolicyObject;
  readonly id: number;
  readonly label: string;
  readonly public: boolean;
  readonly mode: number;
  readonly copyOwner: number | null;
  readonly owner: number | null;
  /** The image whose document holds it (annotations and what hangs off them). */
  readonly image?: number;
}

export interface PolicyScene {
  readonly roles: readonly SceneRole[];
  readonly sets: readonly SceneSet[];
  readonly objects: readonly SceneObject[];
}

const MODES = [0, 1, 2] as const;
const MODE_NAMES = { 0: 'cooperative', 1: 'blind', 2: 'second opinion' } as const;

/** What the rules know of `object` for `role` (rules.ts's Subject). */
export function subjectOf(role: SceneRole, object: Omit<SceneObject, 'kind' | 'id' | 'label'>): Subject {
  const caller = role.user === null ? null : { id: role.user.id, isSuperuser: role.superuser };
  return {
    caller,
    standing: standingOf(caller, { isAdmin: role.isAdmin, public: object.public }),
    mode: object.mode,
    copyOwner: object.copyOwner,
    owner: object.owner,
  };
}

/**
 * One team with an admin and two readers (`member`, `blind peer`), a superuser and two users outside
 * the team; a private and a public image set of each collaboration mode, each with an image, one
 * annotation by each reader (in blind sets in their own copy), each reader's verification and media
 * file of their annotation, a version and an annotation map (made by `member`) of each set. Every
 * write goes through the REST API but the maps (see `mapOf`).
 */
export async function buildPolicyScene(server: TestServer): Promise<PolicyScene> {
  const make = new Factories(server.db);
  const [admin, member, peer, outsider, reader, root] = [
    await make.user(),
    await make.user(),
    await make.user(),
    await make.user(),
    await make.user(),
    await make.user({ superuser: true }),
  ];
  const team = await make.team({ admins: [admin], members: [member, peer] });
  const sets: SceneSet[] = [];
  for (const mode of MODES) {
    for (const isPublic of [false, true]) {
      const id = await make.imageSet(team, admin, { public: isPublic, collaboration_type: mode });
      sets.push({ id, mode, public: isPublic, image: await make.image(id, admin) });
    }
  }
  const product = await make.product(
    team,
    admin,
    sets.map((s) => s.id),
  );
  const box = await make.annotationType(product, { vector_type: 1 });
  const objects: SceneObject[] = [
    { kind: 'team', id: team, label: 'the team', public: false, mode: 0, copyOwner: null, owner: null },
    {
      kind: 'product',
      id: product,
      label: 'the product',
      public: true,
      mode: 0,
      copyOwner: null,
      owner: null,
    },
    {
      kind: 'annotation_type',
      id: box,
      label: 'the type',
      public: true,
      mode: 0,
      copyOwner: null,
      owner: null,
    },
  ];
  const memberships = (
    await new ApiClient(server.baseUrl, admin).get<{ results: { id: number; user: number }[] }>(
      `/users/team_membership/?team=${team}`,
    )
  ).body.results;
  for (const m of memberships)
    objects.push({ ...teamLevel('membership', m.id), owner: m.user, label: `membership of user ${m.user}` });
  for (const set of sets)
    objects.push(...(await setObjects(server, set, { admin, authors: [member, peer], box })));
  const role = async (
    name: RoleName,
    user: TestUser | null,
    isAdmin: boolean | null,
  ): Promise<SceneRole> => ({
    name,
    user,
    token: user === null ? null : await tokenOf(server, user, name === 'superuser'),
    superuser: name === 'superuser',
    isAdmin,
  });
  const roles = [
    await role('anonymous', null, null),
    await role('outsider', outsider, null),
    await role('public reader', reader, null),
    await role('member', member, false),
    await role('blind peer', peer, false),
    await role('team admin', admin, true),
    await role('superuser', root, null),
  ];
  return { roles, sets, objects };
}

function teamLevel(kind: PolicyObject, id: number): Omit<SceneObject, 'label'> {
  return { kind, id, public: false, mode: 0, copyOwner: null, owner: null };
}

/** The set, its image, each author's annotation, verification and media file, and a version. */
async function setObjects(
  server: TestServer,
  set: SceneSet,
  o: { admin: TestUser; authors: TestUser[]; box: number },
): Promise<SceneObject[]> {
  const name = `${set.public ? 'public' : 'private'} ${MODE_NAMES[set.mode]} set`;
  const where = { public: set.public, mode: set.mode, owner: null };
  const objects: SceneObject[] = [
    { kind: 'image_set', id: set.id, label: name, copyOwner: null, ...where },
    { kind: 'image', id: set.image, label: `image of the ${name}`, copyOwner: null, ...where },
  ];
  for (const author of o.authors) {
    const api = new ApiClient(server.baseUrl, author);
    const annotation = expectCreated(
      await api.post<{ id: number }>('/annotations/annotations/', {
        annotation_type: o.box,
        image: set.image,
        vector: { x1: 1, y1: 1, x2: 20, y2: 20 },
      }),
    );
    const verification = expectCreated(
      await api.post<{ id: number }>('/annotations/verifications/', { annotation, verified: true }),
    );
    const mediaFile = await uploadMediaFile(server.baseUrl, author, annotation);
    const copyOwner = set.mode === 1 ? author.id : null;
    const of = `of ${author.username} in the ${name}`;
    const common = { ...where, copyOwner, image: set.image };
    objects.push(
      { kind: 'annotation', id: annotation, label: `annotation ${of}`, ...common },
      { kind: 'verification', id: verification, label: `verification ${of}`, ...common, owner: author.id },
      { kind: 'media_file', id: mediaFile, label: `media file ${of}`, ...common },
      ...(await ownRows(api, set.image)).map((row) => ({
        ...row,
        label: `${row.kind.replace('_', ' ')} ${of}`,
        ...where,
        copyOwner: null,
        owner: author.id,
      })),
    );
  }
  const version = expectCreated(
    await new ApiClient(server.baseUrl, o.admin).post<{ id: number }>('/images/set_versions/', {
      name: `version of the ${name}`,
      imagesets: [set.id],
    }),
  );
  objects.push({ kind: 'version', id: version, label: `version of the ${name}`, copyOwner: null, ...where });
  const [maker] = o.authors;
  if (maker === undefined) throw new Error('the scene needs an author');
  objects.push({
    kind: 'annotation_map',
    id: await mapOf(server, set, o.box, maker),
    label: `map of the ${name}`,
    ...where,
    copyOwner: null,
    owner: maker.id,
  });
  return objects;
}

/**
 * An annotation map of the set made by `maker`, written directly in the state a generation starts in
 * (`processing`): the scene's images are never tiled, so no mosaic could be made of them; an allowed
 * caller meets 409 on its pixel URLs, as on the images'. In blind sets it is a map made before the
 * set turned blind (the API lets only team admins make one there).
 */
async function mapOf(server: TestServer, set: SceneSet, type: number, maker: TestUser): Promise<number> {
  const rows = await server.db.query<{ id: number }>(
    `INSERT INTO annotation_maps (name, image_set_id, annotation_type_id, kind, cell_size, context, seed,
       state, creator_id)
     VALUES ('probe map', $1, $2, 'grid', 128, 0.5, 1, 'processing', $3) RETURNING id`,
    [set.id, type, maker.id],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('the scene could not store its map');
  return id;
}

/** A reader's own rows of an image: their log of opening it and their screening state. */
async function ownRows(api: ApiClient, image: number): Promise<{ kind: PolicyObject; id: number }[]> {
  const log = await api.post<{ id: number }>('/annotations/log_image_actions/', { image, action: 1 });
  const mode = await api.post<{ id: number }>('/images/screening_modes/', { image });
  return [
    { kind: 'image_log', id: expectCreated(log) },
    { kind: 'screening_mode', id: expectCreated(mode) },
  ];
}

function expectCreated(res: { status: number; body: { id: number } }): number {
  if (res.status !== 201) throw new Error(`scene write answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function uploadMediaFile(baseUrl: string, author: TestUser, annotation: number): Promise<number> {
  const form = new FormData();
  form.set('annotation', String(annotation));
  form.set('media_file_type', '1');
  form.set('file', new Blob([Buffer.from('a note')], { type: 'text/plain' }), 'note.txt');
  const basic = Buffer.from(`${author.username}:${author.password}`).toString('base64');
  const response = await fetch(`${baseUrl}/api/v1/annotations/annotation_media_files/`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}` },
    body: form,
  });
  return expectCreated({ status: response.status, body: (await response.json()) as { id: number } });
}

async function tokenOf(server: TestServer, user: TestUser, superuser: boolean): Promise<string> {
  const viewer = { id: user.id, username: user.username, isSuperuser: superuser, isStaff: superuser };
  const created = await server.services.auth.createToken(
    { ...viewer, via: 'session' },
    { name: 'authorization matrix', expires_in_days: null },
  );
  return created.token;
}
