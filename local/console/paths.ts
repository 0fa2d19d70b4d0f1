import { join } from 'node:path';
import { PROJECT_ROOT } from '../gateway/routes';

/** The console's sources (console/, its own Vite project) and what `npm run console:build` makes of them. */
export const CONSOLE_DIR = join(PROJECT_ROOT, 'console');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');
