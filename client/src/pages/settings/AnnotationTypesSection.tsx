import type { AnnotationType, ImageSet, Product } from '@tessera/shared';
import { defaultTypeColor } from '@tessera/shared/type-colors';
import type { SubmitEvent } from 'react';
import { annotationTypes, products } from '../../api/resources';
import { ErrorNotice } from '../../components/Notice';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { VECTOR_TYPES } from '../../vector-types';
import { AnnotationTypeRow } from './AnnotationTypeRow';
import { field } from '../../format';

/** The set's products and their annotation types (colour, default size, sort order), editable. */
export function AnnotationTypesSection({ set }: { set: ImageSet }) {
  const loaded = useLoad(async () => {
    const teamProducts = (await products.ofTeam(set.team)).results;
    const linked = teamProducts.filter((p) => p.imagesets.includes(set.id));
    const typePage = await annotationTypes.ofProducts(linked.map((p) => p.id));
    return {
      products: linked,
      others: teamProducts.filter((p) => !p.imagesets.includes(set.id)),
      types: typePage.results,
    };
  }, [set.id, set.team]);
  const create = useAction();
  const link = useAction();
  const setLink = (product: Product, linked: boolean) => {
    const others = product.imagesets.filter((id) => id !== set.id);
    void link
      .run(() => products.setImageSets(product.id, linked ? [...others, set.id] : others))
      .then((ok) => {
        if (ok) loaded.reload();
      });
  };

  const createProduct = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = field(new FormData(form), 'name');
    void create
      .run(() => products.create({ name, team: set.team, imagesets: [set.id] }))
      .then((ok) => {
        if (!ok) return;
        form.reset();
        loaded.reload();
      });
  };

  return (
    <section className="panel panel-wide" aria-labelledby="types-title">
      <h2 id="types-title">Products and annotation types</h2>
      <p className="muted small">
        A product groups the annotation types offered on this set. Keys 1–9 in the viewer pick types in sort
        order.
      </p>
      <ErrorNotice message={loaded.error} />
      {loaded.data?.products.length === 0 ? <p className="empty">No product yet: create one below.</p> : null}
      {loaded.data?.products.map((product) => (
        <ProductBlock
          key={product.id}
          product={product}
          types={loaded.data?.types.filter((t) => t.product === product.id) ?? []}
          onChanged={loaded.reload}
          onUnlink={() => {
            if (window.confirm(`Stop offering the types of ${product.name} on this set?`))
              setLink(product, false);
          }}
        />
      ))}
      <ErrorNotice message={link.error} />
      {loaded.data !== undefined && loaded.data.others.length > 0 ? (
        <div className="other-products">
          <h3>Other products of the team</h3>
          <ul className="plain-list">
            {loaded.data.others.map((product) => (
              <li key={product.id}>
                {product.name}{' '}
                <button
                  type="button"
                  disabled={link.busy}
                  onClick={() => {
                    setLink(product, true);
                  }}
                >
                  Use on this set <span className="visually-hidden">: {product.name}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form className="inline-form" onSubmit={createProduct}>
        <label htmlFor="new-product">New product for this set</label>
        <input id="new-product" name="name" required maxLength={200} placeholder="Name" />
        <button type="submit" disabled={create.busy}>
          Create product
        </button>
      </form>
      <ErrorNotice message={create.error} />
    </section>
  );
}

function ProductBlock({
  product,
  types,
  onChanged,
  onUnlink,
}: {
  product: Product;
  types: AnnotationType[];
  onChanged: () => void;
  onUnlink: () => void;
}) {
  const add = useAction();
  const sorted = [...types].sort((a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name));

  const addType = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void add
      .run(() =>
        annotationTypes.create({
          name: field(data, 'name'),
          product: product.id,
          vector_type: Number(data.get('vector_type')),
          color_code: field(data, 'color_code'),
          default_width: Number(data.get('default_width')),
          default_height: Number(data.get('default_height')),
          sort_order: Number(data.get('sort_order')),
        }),
      )
      .then((ok) => {
        if (!ok) return;
        form.reset();
        onChanged();
      });
  };

  return (
    <div className="product-block">
      <div className="panel-head">
        <h3>{product.name}</h3>
        <button type="button" className="link-button small" onClick={onUnlink}>
          Remove from this set <span className="visually-hidden">: {product.name}</span>
        </button>
      </div>
      <table className="data-table" aria-label={`Annotation types of ${product.name}`}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Shape</th>
            <th scope="col">Colour</th>
            <th scope="col">Default width</th>
            <th scope="col">Default height</th>
            <th scope="col">Sort order</th>
            <th scope="col">Active</th>
            <th scope="col" className="actions">
              <span className="visually-hidden">Save</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((type) => (
            <AnnotationTypeRow key={type.id} type={type} onSaved={onChanged} />
          ))}
          {sorted.length === 0 ? (
            <tr>
              <td colSpan={8} className="empty">
                No annotation types yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <form className="type-form" onSubmit={addType} aria-label={`New annotation type for ${product.name}`}>
        <label>
          Name
          <input name="name" required maxLength={200} />
        </label>
        <label>
          Shape
          <select name="vector_type" defaultValue="1">
            {VECTOR_TYPES.map((type) => (
              <option key={type.value} value={type.value}>
                {type.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Colour
          <input name="color_code" type="color" defaultValue={defaultTypeColor(types.length).toLowerCase()} />
        </label>
        <label>
          Default width
          <input name="default_width" type="number" min={1} max={100000} defaultValue={50} required />
        </label>
        <label>
          Default height
          <input name="default_height" type="number" min={1} max={100000} defaultValue={50} required />
        </label>
        <label>
          Sort order
          <input name="sort_order" type="number" defaultValue={sorted.length} required />
        </label>
        <button type="submit" disabled={add.busy}>
          Add type
        </button>
      </form>
      <ErrorNotice message={add.error} />
    </div>
  );
}
