export * from './api/common.js';
export * from './api/users.js';
export * from './api/teams.js';
export * from './api/image-sets.js';
export * from './api/products.js';
export * from './api/images.js';
