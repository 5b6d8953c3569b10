import type { ImageSet, ImageSetCreate } from '@tessera/shared';
import { invalidPk, TeamAccess } from '../../access/team-access.js';
import { AnnotationTypesRepo } from '../annotation-types/annotation-types.repo.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database, Queryable } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { formatTimestamp } from '../../db/timestamps.js';
import { AppError } from '../../errors/app-error.js';
import { uniqueField } from '../../errors/pg-errors.js';
import { ProductsRepo } from '../products/products.repo.js';
import { BLIND } from '../../access/policy/modes.js';
import type { LiveDocumentsPort } from '../../collab/live-documents.js';
import { SetTagsRepo } from '../set-tags/set-tags.repo.js';
import { ImageSetsRepo, imageSetFilters } from './image-sets.repo.js';

/** Image sets: team members read them (everyone signed in, if public); team admins manage them. */
export class ImageSetsService extends ResourceService<ImageSet> {
  readonly name = 'image_sets';
  readonly filters = imageSetFilters;
  readonly relations = {
    team: 'teams',
    creator: 'users',
    product_set: 'products',
    set_tags: 'set_tags',
    main_annotation_type: 'annotation_types',
  };

  constructor(
    private readonly db: Database,
    /** Where a set that stops being blind has its readers' copies merged (collab README, rule B1). */
    private readonly liveDocuments?: Pick<LiveDocumentsPort, 'mergeReaderCopies'>,
  ) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const result = await new ImageSetsRepo(this.db).list(viewer, filters, page);
    return {
      count: result.count,
      rows: result.rows.map((r): ImageSet => ({ ...r, time: formatTimestamp(r.time) ?? '' })),
    };
  }

  async create(viewer: Viewer, input: ImageSetCreate): Promise<number> {
    await new TeamAccess(this.db).requireAdmin(viewer, input.team, () => invalidPk('team', input.team));
    return this.db.transaction(async (tx) => {
      await checkRelations(tx, input.team, input);
      const repo = new ImageSetsRepo(tx);
      const id = await uniqueField('name', NAME_TAKEN, () => repo.insert(input, viewer.id));
      await repo.replaceTags(id, input.set_tags);
      await repo.replaceProducts(id, input.product_set);
      await checkMainType(tx, input.main_annotation_type, input.product_set);
      return id;
    });
  }

  async update(viewer: Viewer, id: number, input: Partial<ImageSetCreate>): Promise<void> {
    const access = new TeamAccess(this.db);
    const current = await this.find(viewer, id);
    if (!current) throw AppError.notFound();
    await access.requireAdminOfSeen(viewer, current.team);
    const team = input.team ?? current.team;
    if (team !== current.team) await access.requireAdmin(viewer, team, () => invalidPk('team', team));
    await this.db.transaction(async (tx) => {
      const repo = new ImageSetsRepo(tx);
      await checkRelations(tx, team, {
        set_tags: input.set_tags ?? [],
        product_set: input.product_set ?? (team === current.team ? [] : current.product_set),
      });
      await uniqueField('name', NAME_TAKEN, () => repo.update(id, input));
      if (input.set_tags) await repo.replaceTags(id, input.set_tags);
      if (input.product_set) await repo.replaceProducts(id, input.product_set);
      const mainType =
        input.main_annotation_type === undefined ? current.main_annotation_type : input.main_annotation_type;
      await checkMainType(tx, mainType, input.product_set ?? current.product_set);
    });
    // Committed first: the new kind is what every later write and connection sees, and a merge
    // that stops half way is finished by the next one (rule B1), so nothing is lost or doubled.
    // Saving a mode that is not blind again retries whatever an earlier merge left.
    const mode = input.collaboration_type;
    if (mode !== undefined && mode !== BLIND) await this.liveDocuments?.mergeReaderCopies(id);
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    const current = await this.find(viewer, id);
    if (!current) throw AppError.notFound();
    await new TeamAccess(this.db).requireAdminOfSeen(viewer, current.team);
    await new ImageSetsRepo(this.db).delete(id);
  }
}

/** Tags must exist; products must belong to the set's own team. */
async function checkRelations(
  db: Queryable,
  teamId: number,
  input: { set_tags: readonly number[]; product_set: readonly number[] },
): Promise<void> {
  const tags = new Set(await new SetTagsRepo(db).existing(input.set_tags));
  const missingTag = input.set_tags.find((t) => !tags.has(t));
  if (missingTag !== undefined) throw invalidPk('set_tags', missingTag);
  const products = new Set(await new ProductsRepo(db).idsInTeam(teamId, input.product_set));
  const foreign = input.product_set.find((p) => !products.has(p));
  if (foreign !== undefined) {
    throw AppError.invalidField('product_set', `Product ${foreign} does not exist in the image set's team.`);
  }
}

/** The main annotation type has to come from one of the set's products. */
async function checkMainType(
  db: Queryable,
  typeId: number | null,
  productIds: readonly number[],
): Promise<void> {
  if (typeId === null) return;
  if (!(await new AnnotationTypesRepo(db).inProducts(typeId, productIds))) {
    throw AppError.invalidField(
      'main_annotation_type',
      "Must be an annotation type of one of the set's products.",
    );
  }
}

const NAME_TAKEN = 'The team already has an image set with this name.';
