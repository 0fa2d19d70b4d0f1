import { join } from 'node:path';

export const PROJECT_ROOT = join(__dirname, '..', '..');
/** The committed document (`npm run openapi` writes it). */
export const DOCUMENT_FILE = join(PROJECT_ROOT, 'docs', 'openapi.json');
/** The committed client types generated from it. */
export const CLIENT_TYPES_FILE = join(PROJECT_ROOT, 'client', 'api-types.ts');
