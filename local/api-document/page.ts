// The readable page of the API document (`GET /docs` on the local stack): one self-contained HTML file rendered from
// the OpenAPI JSON on the server, with no script and nothing fetched from elsewhere.

type Json = Record<string, unknown>;
type Schema = Json & { properties?: Record<string, Json>; required?: string[] };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `code` spans of already escaped text. */
const inline = (text: string) => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** The little Markdown the document's descriptions use: paragraphs, `- ` lists, `|` tables and `code`. */
export function markdown(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const lines = block.split('\n').map((line) => line.trim());
      if (lines.every((line) => line.startsWith('- '))) return `<ul>${lines.map((line) => `<li>${inline(line.slice(2))}</li>`).join('')}</ul>`;
      if (lines.every((line) => line.startsWith('|'))) {
        const cells = (line: string) => line.slice(1, -1).split('|').map((cell) => cell.trim());
        const [head = '', , ...rows] = lines;
        const header = `<tr>${cells(head).map((cell) => `<th>${inline(cell)}</th>`).join('')}</tr>`;
        return `<table>${header}${rows.map((row) => `<tr>${cells(row).map((cell) => `<td>${inline(cell)}</td>`).join('')}</tr>`).join('')}</table>`;
      }
      return `<p>${lines.map(inline).join(' ')}</p>`;
    })
    .join('\n');
}

/** What a JSON Schema allows beyond its type, in a few words (`1-64 characters`, `pattern ...`, `default 20`). */
function constraints(schema: Schema): string[] {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).flatMap(constraints);
  const notes: string[] = [];
  if (schema.description) notes.push(String(schema.description));
  if (schema.format) notes.push(String(schema.format));
  if (schema.pattern) notes.push(`pattern ${schema.pattern}`);
  if (schema.minLength !== undefined || schema.maxLength !== undefined) notes.push(`${schema.minLength ?? 0}-${schema.maxLength ?? 'any'} characters`);
  if (schema.minimum !== undefined && schema.maximum !== undefined) notes.push(`${schema.minimum} to ${schema.maximum}`);
  else if (schema.minimum !== undefined) notes.push(`at least ${schema.minimum}`);
  else if (schema.maximum !== undefined) notes.push(`at most ${schema.maximum}`);
  if (schema.maxItems !== undefined) notes.push(`at most ${schema.maxItems} items`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  return notes;
}

/** A JSON Schema as a TypeScript-like type, escaped, with components linked. */
export function typeOf(schema: Schema, indent = ''): string {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop() as string;
    return `<a href="#schema-${escape(name)}">${escape(name)}</a>`;
  }
  if ('const' in schema) return escape(JSON.stringify(schema.const));
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => escape(JSON.stringify(value))).join(' | ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).map((option) => typeOf(option, indent)).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.map((type) => typeOf({ ...schema, type }, indent)).join(' | ');
  if (schema.type === 'array') return `${typeOf((schema.items ?? {}) as Schema, indent)}[]`;
  if (schema.type === 'object' || schema.properties) {
    const inner = `${indent}  `;
    const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => {
      const optional = (schema.required ?? []).includes(name) ? '' : '?';
      const notes = constraints(property);
      const comment = notes.length > 0 ? ` <span class="note">// ${escape(notes.join(', '))}</span>` : '';
      return `${inner}${escape(name)}${optional}: ${typeOf(property, inner)};${comment}`;
    });
    return fields.length > 0 ? `{\n${fields.join('\n')}\n${indent}}` : '{}';
  }
  return escape(String(schema.type ?? 'unknown'));
}

const methodsOf = (item: Json) => Object.entries(item).filter(([method]) => ['get', 'put', 'post', 'delete', 'patch'].includes(method)) as Array<[string, Json]>;

function parametersTable(parameters: Schema[]): string {
  if (parameters.length === 0) return '';
  const rows = parameters.map((p) => {
    const notes = constraints(p.schema as Schema);
    return `<tr><td><code>${escape(String(p.name))}</code></td><td>${escape(String(p.in))}${p.required ? '' : ', optional'}</td><td><code>${typeOf(p.schema as Schema)}</code></td><td>${escape(notes.join(', '))}</td></tr>`;
  });
  return `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th><th>Constraints</th></tr>${rows.join('')}</table>`;
}

const jsonSchemaOf = (holder: Json | undefined) => ((holder?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Schema | undefined;

/** A body's type with a named schema spelled out, so that a reader sees its fields where it is used. */
function expanded(schema: Schema, schemas: Record<string, Schema>): string {
  const name = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() : undefined;
  const named = name ? schemas[name] : undefined;
  return `<pre>${named ? `${typeOf(schema)} = ${typeOf(named)}` : typeOf(schema)}</pre>`;
}

function responsesTable(responses: Record<string, Json>, schemas: Record<string, Schema>): string {
  const rows = Object.entries(responses).map(([status, response]) => {
    const schema = jsonSchemaOf(response);
    const body = schema ? expanded(schema, schemas) : '';
    return `<tr><td class="status s${status[0]}">${escape(status)}</td><td>${markdown(String(response.description ?? ''))}${response.headers ? '<p>Header <code>Retry-After</code></p>' : ''}</td><td>${body}</td></tr>`;
  });
  return `<h4>Answers</h4><table><tr><th>Status</th><th>Meaning</th><th>Body</th></tr>${rows.join('')}</table>`;
}

function operationSection(path: string, method: string, op: Json, components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Json> }): string {
  const security = components.securitySchemes;
  const auth = (op.security as Array<Record<string, unknown>>).flatMap((requirement) => Object.keys(requirement));
  const authText = auth.length === 0 ? 'none' : auth.map((name) => inline(`${name}: ${security[name]?.description ?? ''}`)).join('; ');
  const body = (op.requestBody as Json | undefined) && jsonSchemaOf(op.requestBody as Json);
  return [
    `<section class="op" id="op-${escape(String(op.operationId))}">`,
    `<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code> <small>${escape(String(op.operationId))}</small></h3>`,
    `<p><strong>${inline(String(op.summary ?? ''))}</strong></p>`,
    op.description ? markdown(String(op.description)) : '',
    `<p class="auth">Auth: ${authText}</p>`,
    parametersTable((op.parameters ?? []) as Schema[]),
    body ? `<h4>Body${(op.requestBody as Json).required ? '' : ' (optional)'}</h4>${expanded(body, components.schemas)}` : '',
    responsesTable(op.responses as Record<string, Json>, components.schemas),
    '</section>',
  ].join('\n');
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2430; display: grid; grid-template-columns: 17rem minmax(0, 1fr); }
nav { position: sticky; top: 0; height: 100vh; overflow: auto; background: #f4f6f8; padding: 1rem; box-sizing: border-box; font-size: 13px; }
nav h2 { font-size: 13px; text-transform: uppercase; color: #667; margin: 1rem 0 .3rem; }
nav a { display: block; color: inherit; text-decoration: none; padding: 1px 0; overflow-wrap: anywhere; }
main { padding: 1rem 2rem; max-width: 70rem; }
code, pre { font: 13px/1.45 ui-monospace, monospace; }
pre { background: #f6f8fa; padding: .5rem .7rem; overflow: auto; margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border: 1px solid #dde2e8; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td p, td ul { margin: 0; }
td pre { white-space: pre-wrap; }
.op { border-top: 1px solid #dde2e8; padding-top: .5rem; margin-top: 1.5rem; }
.method { display: inline-block; min-width: 3.5rem; text-align: center; color: #fff; border-radius: 3px; font-size: 13px; padding: 1px 4px; }
.get { background: #2f7d32; } .put { background: #a76400; } .post { background: #1f5fa8; }
.status { font-weight: bold; } .s2 { color: #2f7d32; } .s4 { color: #a76400; } .s5 { color: #b3261e; }
.note { color: #778; } small { color: #778; font-weight: normal; }
`;

/** The whole page. */
export function renderPage(document: Json): string {
  const info = document.info as Json;
  const paths = document.paths as Record<string, Json>;
  const components = document.components as { schemas: Record<string, Schema>; securitySchemes: Record<string, Json> };
  const operations = Object.entries(paths).flatMap(([path, item]) => methodsOf(item).map(([method, op]) => ({ path, method, op })));
  const tags = [...new Set(operations.map(({ op }) => (op.tags as string[])[0] as string))];
  const nav = tags.map((tag) => {
    const links = operations.filter(({ op }) => (op.tags as string[])[0] === tag).map(({ path, method, op }) => `<a href="#op-${escape(String(op.operationId))}">${method.toUpperCase()} ${escape(path)}</a>`);
    return `<h2>${escape(tag)}</h2>${links.join('')}`;
  });
  const sections = tags.map((tag) => {
    const ops = operations.filter(({ op }) => (op.tags as string[])[0] === tag).map(({ path, method, op }) => operationSection(path, method, op, components));
    return `<h2>${escape(tag)}</h2>\n${ops.join('\n')}`;
  });
  const schemas = Object.entries(components.schemas).map(([name, schema]) => `<h3 id="schema-${escape(name)}">${escape(name)}</h3><pre>${typeOf(schema)}</pre>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(String(info.title))} ${escape(String(info.version))}</title><style>${STYLE}</style></head>
<body><nav><strong>${escape(String(info.title))}</strong> ${escape(String(info.version))}<br><a href="/openapi.json">openapi.json</a>${nav.join('')}<h2>Schemas</h2><a href="#schemas">all schemas</a></nav>
<main><h1>${escape(String(info.title))} <small>${escape(String(info.version))}, OpenAPI ${escape(String(document.openapi))}</small></h1>
${markdown(String(info.description ?? ''))}
${sections.join('\n')}
<h2 id="schemas">Schemas</h2>
${schemas.join('\n')}
</main></body></html>
`;
}
