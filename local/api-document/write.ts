// `npm run openapi`: writes the API document and the client's types generated from it (both committed).
// `npm run openapi -- --check`: writes nothing, fails when either file differs from what the code generates.
// `--types-file=<path>`: the client types go there instead (the mini-program's own tree, say).
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { clientTypesText } from './client-types';
import { CLIENT_TYPES_FILE, DOCUMENT_FILE, PROJECT_ROOT as ROOT } from './files';
import { buildOpenApiDocument, documentText } from './openapi';

/** Files in the project by their path in it, others (--types-file elsewhere) by the absolute path given. */
const shown = (file: string): string => (file.startsWith(`${ROOT}/`) ? relative(ROOT, file) : file);

async function main(check: boolean, typesFile: string): Promise<number> {
  const document = buildOpenApiDocument();
  const files = [
    { file: DOCUMENT_FILE, text: documentText(document) },
    // openapi-typescript is ESM inside; generating through tsx (here) rather than jest keeps it loadable.
    { file: typesFile, text: await clientTypesText(document) },
  ];
  if (!check) {
    for (const { file, text } of files) writeFileSync(file, text);
    console.log(`wrote ${files.map(({ file }) => shown(file)).join(' and ')}`);
    return 0;
  }
  const stale = files.filter(({ file, text }) => readFileSync(file, 'utf8') !== text).map(({ file }) => shown(file));
  if (stale.length > 0) console.error(`out of date (run npm run openapi): ${stale.join(', ')}`);
  return stale.length > 0 ? 1 : 0;
}

if (require.main === module) {
  const typesFile = process.argv.find((arg) => arg.startsWith('--types-file='))?.slice('--types-file='.length);
  main(process.argv.includes('--check'), typesFile ? resolve(typesFile) : CLIENT_TYPES_FILE).then(
    (status) => process.exit(status),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
