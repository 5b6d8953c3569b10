import type { AnnotationType, AnnotationTypeCreate } from '@tessera/shared';
import type { Queryable, SqlValue } from '../../db/database.js';
import { SqlConditions, type FilterSpec, type ParsedFilter } from '../../db/filters.js';
import { listPage } from '../../db/list-query.js';
import { productVisible } from '../products/products.repo.js';
import type { ListViewer } from '../users/users.repo.js';
import { insertedId } from '../../db/inserted-id.js';

export const annotationTypeFilters: FilterSpec = {
  id: { type: 'int', lookups: ['exact', 'in'], column: 'a.id' },
  name: { type: 'text', lookups: ['exact', 'contains'], column: 'a.name' },
  vector_type: { type: 'int', lookups: ['exact', 'lte', 'gte', 'range', 'in'], column: 'a.vector_type' },
  active: { type: 'bool', lookups: ['exact'], column: 'a.active' },
  product: { type: 'int', lookups: ['exact', 'in'], column: 'a.product_id' },
};

/** Writable columns, named as in the API (product is product_id in SQL). */
const columns = [
  'name',
  'vector_type',
  'node_count',
  'enable_concealed',
  'enable_blurred',
  'color_code',
  'multi_frame',
  'default_width',
  'default_height',
  'sort_order',
  'closed',
  'area_hit_test',
  'active',
] as const;

export type AnnotationTypeFields = Omit<AnnotationTypeCreate, 'product' | 'color_code'> & {
  product: number;
  color_code: string;
};

/** Annotation types (labels with a geometry kind), grouped in products. */
export class AnnotationTypesRepo {
  constructor(private readonly db: Queryable) {}

  async list(viewer: ListViewer, filters: readonly ParsedFilter[], page?: { limit: number; offset: number }) {
    const q = new SqlConditions();
    q.add(
      `EXISTS (SELECT 1 FROM products p WHERE p.id = a.product_id AND ${productVisible(q, viewer, 'p')})`,
    );
    q.addFilters(annotationTypeFilters, filters);
    return listPage<AnnotationType>(this.db, {
      select: () => `a.id, ${columns.map((c) => `a.${c}`).join(', ')}, a.product_id AS product`,
      from: 'annotation_types a',
      conditions: q,
      orderBy: 'a.id',
      page,
    });
  }

  async insert(fields: AnnotationTypeFields): Promise<number> {
    const values: SqlValue[] = columns.map((c) => fields[c]);
    values.push(fields.product);
    const placeholders = values.map((_, i) => `$${i + 1}`).join(', ');
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO annotation_types (${columns.join(', ')}, product_id) VALUES (${placeholders}) RETURNING id`,
      values,
    );
    return insertedId(rows);
  }

  async update(id: number, changes: Partial<AnnotationTypeFields>): Promise<void> {
    const params: SqlValue[] = [id];
    const sets: string[] = [];
    for (const column of [...columns, 'product'] as const) {
      const value = changes[column];
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column === 'product' ? 'product_id' : column} = $${params.length}`);
    }
    if (sets.length > 0)
      await this.db.query(`UPDATE annotation_types SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  /** How many types the product has (its next type's default colour follows from it). */
  async countInProduct(productId: number): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM annotation_types WHERE product_id = $1',
      [productId],
    );
    return rows[0]?.n ?? 0;
  }

  /** True when the type belongs to one of the products. */
  async inProducts(id: number, productIds: readonly number[]): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>(
      'SELECT id FROM annotation_types WHERE id = $1 AND product_id = ANY($2::int[])',
      [id, productIds],
    );
    return rows.length > 0;
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM annotation_types WHERE id = $1', [id]);
  }
}
