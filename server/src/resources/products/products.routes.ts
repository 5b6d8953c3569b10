import { product, productCreate, productUpdate } from '@tessera/shared';
import { crudEndpoints } from '../../api/crud.js';
import type { Endpoint } from '../../api/endpoint.js';
import type { Listing } from '../../api/listing.js';
import type { ProductsService } from './products.service.js';

/** `administration/products/`: a team's annotation schemes. */
export function productsEndpoints(products: ProductsService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/administration/products/',
    policy: 'product.see',
    tag: 'annotation schemes',
    noun: 'product',
    resource: products,
    listing,
    output: product,
    create: {
      policy: 'team.administer',
      body: productCreate,
      run: (viewer, body) => products.create(viewer, body),
    },
    update: {
      policy: 'product.administer',
      ...productUpdate,
      run: (viewer, id, body) => products.update(viewer, id, body),
    },
    remove: { policy: 'product.administer', run: (viewer, id) => products.remove(viewer, id) },
  });
}
