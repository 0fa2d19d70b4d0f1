import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// Reading handlers and use cases as text, for the tests that hold the document to the code: which schemas a handler
// passes to httpHandler, and which domain errors the modules it calls can throw.

export const ROOT = join(__dirname, '..', '..');

const source = (file: string) => readFileSync(file, 'utf8');

function resolveModule(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

/** Imported name -> the file it comes from (relative imports only); with `values`, only what is imported as a value. */
export function importsOf(file: string, options: { values?: boolean } = {}): Map<string, string> {
  const names = new Map<string, string>();
  for (const [, typeOnly, list, specifier] of source(file).matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)) {
    const target = resolveModule(file, specifier as string);
    if (!target || (options.values && typeOnly)) continue;
    for (const entry of (list as string).split(',')) {
      if (options.values && /^\s*type\s/.test(entry)) continue;
      const [imported, local] = entry.replace(/\btype\s+/, '').trim().split(/\s+as\s+/);
      if (imported) names.set((local ?? imported).trim(), target);
    }
  }
  return names;
}

/** The `httpHandler({ ... }, ...)` spec of a handler as key -> identifier (or literal) text. */
export function httpSpecOf(file: string): Record<string, string> {
  const match = /httpHandler\(\s*\{([^}]*)\}/.exec(source(file));
  if (!match) throw new Error(`${relative(ROOT, file)} does not call httpHandler({ ... })`);
  const spec: Record<string, string> = {};
  for (const entry of (match[1] as string).split(',')) {
    const [key, value] = entry.split(':').map((part) => part.trim());
    if (key) spec[key] = value ?? key;
  }
  return spec;
}

/** Top-level declarations of a module (functions, consts, classes) -> their text, each up to the next one. */
function declarationsOf(file: string): Map<string, string> {
  const declarations = new Map<string, string>();
  const chunks = source(file).split(/\n(?=(?:export )?(?:async )?(?:function|const|class|let) )/);
  for (const chunk of chunks) {
    const name = /^(?:export )?(?:async )?(?:function|const|class|let) (\w+)/.exec(chunk)?.[1];
    if (name) declarations.set(name, chunk);
  }
  return declarations;
}

/**
 * The declarations reachable from a handler by name: what the handler uses of the modules inside `within` (folders
 * relative to ROOT), then what those use, in their own module or through value imports, transitively. Finer than
 * whole files, so that a route is not charged with the errors of a sibling function of the same module.
 */
export function reachableCode(handlerFile: string, within: string[]): string[] {
  const inside = (file: string) => within.some((folder) => relative(join(ROOT, folder), file).split('/')[0] !== '..');
  const seen = new Set<string>();
  const texts: string[] = [source(handlerFile)];
  const follow = (file: string, text: string) => {
    const local = declarationsOf(file);
    const imported = importsOf(file, { values: true });
    for (const [, word] of text.matchAll(/\b(\w+)\b/g)) {
      const name = word as string;
      const target = local.has(name) ? file : imported.get(name);
      if (!target || !inside(target) || seen.has(`${target}#${name}`)) continue;
      seen.add(`${target}#${name}`);
      const declaration = declarationsOf(target).get(name);
      if (declaration === undefined) continue;
      texts.push(declaration);
      follow(target, declaration);
    }
  };
  follow(handlerFile, source(handlerFile));
  return texts;
}

/** Every domain error class of ours (shared/, not tests) -> its fixed code. */
export function domainErrorCodes(files: string[]): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of files) {
    for (const [, name, body] of source(file).matchAll(/class (\w+) extends DomainError \{([^]*?)\n\}/g)) {
      const code = /readonly code = '(\w+)'/.exec(body as string)?.[1];
      if (code) codes.set(name as string, code);
    }
  }
  return codes;
}

/** The codes code can throw: `new SomeError(` of a class with a fixed code, and `new OrderStateError('CODE'`. */
export function thrownCodes(texts: string[], classCodes: Map<string, string>): Set<string> {
  const codes = new Set<string>();
  for (const text of texts) {
    for (const [, name] of text.matchAll(/new (\w+Error)\(/g)) {
      const code = classCodes.get(name as string);
      if (code) codes.add(code);
    }
    for (const [, code] of text.matchAll(/new OrderStateError\(\s*'(\w+)'/g)) codes.add(code as string);
  }
  return codes;
}
