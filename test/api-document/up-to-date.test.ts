import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildOpenApiDocument, documentText } from '../../local/api-document/openapi';
import { CLIENT_TYPES_FILE, DOCUMENT_FILE, PROJECT_ROOT } from '../../local/api-document/files';

// The committed document and the client's types are what the generator makes of the code now: a change of a schema,
// route or error code without `npm run openapi` fails here.

/** `npm run openapi -- --check`, through tsx as npm runs it (openapi-typescript is ESM inside, which jest cannot load). */
const check = (...args: string[]) =>
  promisify(execFile)(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(PROJECT_ROOT, 'local', 'api-document', 'write.ts'), '--check', ...args], { cwd: PROJECT_ROOT });

describe('the committed API document and client types', () => {
  it('docs/openapi.json is the document the code generates (run npm run openapi)', () => {
    expect(readFileSync(DOCUMENT_FILE, 'utf8')).toBe(documentText(buildOpenApiDocument()));
  });

  it('client/api-types.ts holds the types of that document (run npm run openapi)', async () => {
    await expect(check()).resolves.toBeDefined();
  });

  it('the check fails, naming the file, for client types that lag behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'api-types-'));
    try {
      const edited = join(dir, 'api-types.ts');
      writeFileSync(edited, `${readFileSync(CLIENT_TYPES_FILE, 'utf8')}// an edit by hand\n`);
      await expect(check(`--types-file=${edited}`)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(edited) });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
