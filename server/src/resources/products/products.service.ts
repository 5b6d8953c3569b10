import type { Product, ProductCreate } from '@tessera/shared';
import { invalidPk, TeamAccess } from '../../access/team-access.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database, Queryable } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { formatTimestamp } from '../../db/timestamps.js';
import { AppError } from '../../errors/app-error.js';
import { stillReferenced, uniqueField } from '../../errors/pg-errors.js';
import { ImageSetsRepo } from '../image-sets/image-sets.repo.js';
import { ProductsRepo, productFilters } from './products.repo.js';

/** Products (annotation schemes): readable where their team or one of their sets is; admins manage. */
export class ProductsService extends ResourceService<Product> {
  readonly name = 'products';
  readonly filters = productFilters;
  readonly relations = {
    team: 'teams',
    creator: 'users',
    imagesets: 'image_sets',
    annotationtype_set: 'annotation_types',
  };

  constructor(private readonly db: Database) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const result = await new ProductsRepo(this.db).list(viewer, filters, page);
    return {
      count: result.count,
      rows: result.rows.map((r): Product => ({ ...r, time: formatTimestamp(r.time) ?? '' })),
    };
  }

  async create(viewer: Viewer, input: ProductCreate): Promise<number> {
    await new TeamAccess(this.db).requireAdmin(viewer, input.team, () => invalidPk('team', input.team));
    return this.db.transaction(async (tx) => {
      await checkImageSets(tx, input.team, input.imagesets);
      const repo = new ProductsRepo(tx);
      const id = await uniqueField('name', NAME_TAKEN, () => repo.insert(input, viewer.id));
      await repo.replaceImageSets(id, input.imagesets);
      return id;
    });
  }

  async update(viewer: Viewer, id: number, input: Partial<ProductCreate>): Promise<void> {
    const current = await this.find(viewer, id);
    if (!current) throw AppError.notFound();
    const access = new TeamAccess(this.db);
    await access.requireAdminOfSeen(viewer, current.team);
    const team = input.team ?? current.team;
    if (team !== current.team) await access.requireAdmin(viewer, team, () => invalidPk('team', team));
    await this.db.transaction(async (tx) => {
      const repo = new ProductsRepo(tx);
      const imageSets = input.imagesets ?? (team === current.team ? undefined : []);
      if (imageSets) await checkImageSets(tx, team, imageSets);
      await uniqueField('name', NAME_TAKEN, () => repo.update(id, input));
      if (imageSets) await repo.replaceImageSets(id, imageSets);
    });
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    const current = await this.find(viewer, id);
    if (!current) throw AppError.notFound();
    await new TeamAccess(this.db).requireAdminOfSeen(viewer, current.team);
    await stillReferenced('Annotations still use this product’s annotation types.', () =>
      new ProductsRepo(this.db).delete(id),
    );
  }
}

async function checkImageSets(db: Queryable, teamId: number, ids: readonly number[]): Promise<void> {
  const own = new Set(await new ImageSetsRepo(db).idsInTeam(teamId, ids));
  const foreign = ids.find((i) => !own.has(i));
  if (foreign !== undefined) {
    throw AppError.invalidField('imagesets', `Image set ${foreign} does not exist in the product's team.`);
  }
}

const NAME_TAKEN = 'The team already has a product with this name.';
