export { loadConfig, type Config } from './config/config.js';
export { createApp } from './composition/app.js';
export { createServices } from './composition/services.js';
export { apiEndpoints } from './composition/api.js';
export { Database } from './db/database.js';
export { migrate, readMigrations } from './db/migrate.js';
export { createLogger } from './logging/logger.js';
