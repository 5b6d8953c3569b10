import { randomBytes } from 'node:crypto';
import type { AnnotationTypeCreate } from '@tessera/shared';
import { AnnotationTypesRepo } from '../../server/src/resources/annotation-types/annotation-types.repo.js';
import { hashPassword } from '../../server/src/auth/passwords.js';
import type { Database } from '../../server/src/db/database.js';
import { MapsRepo } from '../../server/src/maps/maps.repo.js';
import { ImageSetsRepo } from '../../server/src/resources/image-sets/image-sets.repo.js';
import { ImagesRepo } from '../../server/src/resources/images/images.repo.js';
import { MembershipsRepo } from '../../server/src/resources/memberships/memberships.repo.js';
import { ProductsRepo } from '../../server/src/resources/products/products.repo.js';
import { TeamsRepo } from '../../server/src/resources/teams/teams.repo.js';
import { UsersRepo } from '../../server/src/resources/users/users.repo.js';
import type { Credentials } from './http.js';

export interface TestUser extends Credentials {
  readonly id: number;
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

// One hash for every factory user: argon2 is deliberately slow and tests make many users.
const sharedPassword = 'correct horse battery';
let sharedHash: Promise<string> | undefined;

/** Writes real rows through the repositories, as the services would. */
export class Factories {
  constructor(private readonly db: Database) {}

  async user(o: { superuser?: boolean; username?: string } = {}): Promise<TestUser> {
    sharedHash ??= hashPassword(sharedPassword);
    const username = o.username ?? unique('user');
    const id = await new UsersRepo(this.db).insert({
      username,
      email: `${username}@example.org`,
      passwordHash: await sharedHash,
      isSuperuser: o.superuser ?? false,
      isStaff: o.superuser ?? false,
      isActive: true,
    });
    return { id, username, password: sharedPassword };
  }

  /** A team with the given admins and (non-admin) members. */
  async team(o: { admins?: TestUser[]; members?: TestUser[]; name?: string } = {}): Promise<number> {
    const id = await new TeamsRepo(this.db).insert(o.name ?? unique('team'));
    const memberships = new MembershipsRepo(this.db);
    for (const u of o.admins ?? []) await memberships.insert(id, u.id, true);
    for (const u of o.members ?? []) await memberships.insert(id, u.id, false);
    return id;
  }

  async imageSet(
    team: number,
    creator: TestUser,
    o: {
      public?: boolean;
      name?: string;
      collaboration_type?: 0 | 1 | 2;
      required_verifications?: number;
    } = {},
  ): Promise<number> {
    return new ImageSetsRepo(this.db).insert(
      {
        name: o.name ?? unique('set'),
        team,
        location: '',
        description: '',
        public: o.public ?? false,
        main_annotation_type: null,
        collaboration_type: o.collaboration_type ?? 0,
        priority: 0,
        show_original_names: false,
        ...(o.required_verifications === undefined
          ? {}
          : { required_verifications: o.required_verifications }),
      },
      creator.id,
    );
  }

  async product(team: number, creator: TestUser, imageSets: number[] = []): Promise<number> {
    const repo = new ProductsRepo(this.db);
    const id = await repo.insert({ name: unique('product'), description: '', team }, creator.id);
    await repo.replaceImageSets(id, imageSets);
    return id;
  }

  async annotationType(product: number, o: Partial<AnnotationTypeCreate> = {}): Promise<number> {
    return new AnnotationTypesRepo(this.db).insert({
      name: unique('type'),
      vector_type: 1,
      node_count: 0,
      enable_concealed: true,
      enable_blurred: true,
      color_code: '#CC4444',
      multi_frame: false,
      default_width: 50,
      default_height: 50,
      sort_order: 0,
      closed: false,
      area_hit_test: true,
      active: true,
      ...o,
      product,
    });
  }

  /** An image row (state processing, no file): enough for annotation documents and their REST. */
  async image(imageSet: number, uploader: TestUser, name = 'x.svs'): Promise<number> {
    return new ImagesRepo(this.db).insert({
      imageSetId: imageSet,
      name,
      filename: name,
      originalFilename: name,
      contentSha256: randomBytes(32),
      sizeBytes: 1,
      storagePath: `imageset_${imageSet}/${unique('image')}/${name}`,
      imageType: 0,
      uploadedBy: uploader.id,
    });
  }

  /**
   * An annotation map of `type` in `set` (or only `image`) as a generation leaves it at its start:
   * `processing`, generation 1, no mosaic or cells (what a server stopped mid-generation leaves).
   */
  async processingMap(o: { set: number; type: number; creator: TestUser; image?: number }): Promise<number> {
    return new MapsRepo(this.db).insert({
      name: unique('map'),
      image_set_id: o.set,
      image_id: o.image ?? null,
      annotation_type_id: o.type,
      kind: 'grid',
      cell_size: 128,
      context: 0.5,
      seed: 1,
      features: null,
      creatorId: o.creator.id,
    });
  }

  /**
   * An image in a new team's set, with the people per-user resources are tested with: the team's
   * admin, two members (one whose rows are looked at, one who looks) and an outsider.
   */
  async teamImage(): Promise<{
    admin: TestUser;
    member: TestUser;
    other: TestUser;
    outsider: TestUser;
    image: number;
  }> {
    const [admin, member, other, outsider] = [
      await this.user(),
      await this.user(),
      await this.user(),
      await this.user(),
    ];
    const team = await this.team({ admins: [admin], members: [member, other] });
    const image = await this.image(await this.imageSet(team, admin), admin);
    return { admin, member, other, outsider, image };
  }
}
