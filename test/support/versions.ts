import { randomUUID } from 'node:crypto';
import type { RestAnnotation, SetVersion } from '@tessera/shared';
import { Factories, type TestUser } from './factories.js';
import { ApiClient } from './http.js';
import type { TestServer } from './server.js';
import { ImagesRepo } from '../../server/src/resources/images/images.repo.js';

/** A team (admin, member, outsider), an image set with a box and a polygon type, and `images` images. */
export async function versionScene(
  server: TestServer,
  o: { images?: string[]; typeNames?: [string, string] } = {},
) {
  const make = new Factories(server.db);
  const admin = await make.user();
  const member = await make.user();
  const outsider = await make.user();
  const team = await make.team({ admins: [admin], members: [member] });
  const set = await make.imageSet(team, admin);
  const product = await make.product(team, admin, [set]);
  const [boxName, polygonName] = o.typeNames ?? ['box', 'polygon'];
  const box = await make.annotationType(product, { vector_type: 1, name: `${boxName}-${randomUUID()}` });
  const polygon = await make.annotationType(product, {
    vector_type: 5,
    name: `${polygonName}-${randomUUID()}`,
  });
  const images: number[] = [];
  for (const name of o.images ?? ['a.svs']) {
    images.push(
      await new ImagesRepo(server.db).insert({
        imageSetId: set,
        name,
        filename: name,
        originalFilename: name,
        contentSha256: Buffer.from(randomUUID()),
        sizeBytes: 1,
        storagePath: `imageset_${set}/${name}`,
        imageType: 0,
        uploadedBy: admin.id,
      }),
    );
  }
  const api = (u: TestUser) => new ApiClient(server.baseUrl, u);
  return { make, admin, member, outsider, team, set, product, box, polygon, images, api };
}

/** Creates annotations through REST (the one write path) and answers them. */
export async function annotate(
  api: ApiClient,
  items: {
    image: number;
    annotation_type: number;
    vector: Record<string, number> | null;
    description?: string;
  }[],
): Promise<RestAnnotation[]> {
  const res = await api.post<RestAnnotation[]>('/annotations/annotations/', items);
  if (res.status !== 201) throw new Error(`annotate: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A rectangle vector. */
export function rect(x: number, y: number, w = 10, h = 10): Record<string, number> {
  return { x1: x, y1: y, x2: x + w, y2: y + h };
}

/** A triangle vector. */
export function triangle(x: number, y: number): Record<string, number> {
  return { x1: x, y1: y, x2: x + 20, y2: y, x3: x + 10, y3: y + 15 };
}

/** Makes a version of one image set through REST and answers it. */
export async function makeVersion(api: ApiClient, set: number, name = 'v'): Promise<SetVersion> {
  const res = await api.post<SetVersion>('/images/set_versions/', { name, imagesets: [set] });
  if (res.status !== 201) throw new Error(`makeVersion: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
