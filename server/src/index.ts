export { loadConfig, type Config } from './config/config.js';
export { createApp, createServices, apiEndpoints } from './http/app.js';
export { Database } from './db/database.js';
export { migrate, readMigrations } from './db/migrate.js';
export { createLogger } from './logging/logger.js';
