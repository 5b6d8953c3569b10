import { defaultTypeColor, type AnnotationType, type AnnotationTypeCreate } from '@tessera/shared';
import { invalidPk, TeamAccess } from '../../access/team-access.js';
import { ResourceService } from '../../api/resource-service.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import type { ParsedFilter } from '../../db/filters.js';
import { AppError } from '../../errors/app-error.js';
import { stillReferenced, uniqueField } from '../../errors/pg-errors.js';
import { ProductsRepo } from '../products/products.repo.js';
import { AnnotationTypesRepo, annotationTypeFilters } from './annotation-types.repo.js';

/** Annotation types live in products; the product's team admins define them. */
export class AnnotationTypesService extends ResourceService<AnnotationType> {
  readonly name = 'annotation_types';
  readonly filters = annotationTypeFilters;
  readonly relations = { product: 'products' };

  constructor(private readonly db: Database) {
    super();
  }

  async list(viewer: Viewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    return new AnnotationTypesRepo(this.db).list(viewer, filters, page);
  }

  async create(viewer: Viewer, input: AnnotationTypeCreate): Promise<number> {
    await this.requireProductAdmin(viewer, input.product);
    const repo = new AnnotationTypesRepo(this.db);
    // Without a colour, each new type of the product takes the palette's next one (not all the same).
    const color_code = input.color_code ?? defaultTypeColor(await repo.countInProduct(input.product));
    return uniqueField('name', NAME_TAKEN, () => repo.insert({ ...input, color_code }));
  }

  async update(viewer: Viewer, id: number, input: Partial<AnnotationTypeCreate>): Promise<void> {
    const current = await this.find(viewer, id);
    if (!current) throw AppError.notFound();
    await new TeamAccess(this.db).requireAdminOfSeen(viewer, await this.teamOfProduct(current.product));
    if (input.product !== undefined && input.product !== current.product) {
      await this.requireProductAdmin(viewer, input.product);
    }
    await uniqueField('name', NAME_TAKEN, () => new AnnotationTypesRepo(this.db).update(id, input));
  }

  async remove(viewer: Viewer, id: number): Promise<void> {
    const current = await this.find(viewer, id);
    if (!current) throw AppError.notFound();
    await new TeamAccess(this.db).requireAdminOfSeen(viewer, await this.teamOfProduct(current.product));
    await stillReferenced('Annotations still use this annotation type; deactivate it instead.', () =>
      new AnnotationTypesRepo(this.db).delete(id),
    );
  }

  private async requireProductAdmin(viewer: Viewer, productId: number): Promise<void> {
    const products = new ProductsRepo(this.db);
    const team = await products.teamOf(productId);
    if (team === undefined) throw invalidPk('product', productId);
    // P5: a product the viewer sees (their team's, or one of a public set) but does not administer is 403.
    const { rows } = await products.list(viewer, [{ name: 'id', lookup: 'exact', value: productId }]);
    if (rows.length > 0) await new TeamAccess(this.db).requireAdminOfSeen(viewer, team);
    else await new TeamAccess(this.db).requireAdmin(viewer, team, () => invalidPk('product', productId));
  }

  private async teamOfProduct(productId: number): Promise<number> {
    const team = await new ProductsRepo(this.db).teamOf(productId);
    if (team === undefined) throw AppError.notFound();
    return team;
  }
}

const NAME_TAKEN = 'The product already has an annotation type with this name.';
