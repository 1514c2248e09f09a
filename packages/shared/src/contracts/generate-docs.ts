import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderAsyncApi, renderJsonSchemas } from './render-docs';

/** Writes docs/asyncapi.yaml and docs/schemas/<topic>.json. Usage: node generate-docs.js <docs dir> */
const docsDir = resolve(process.argv[2] ?? 'docs');
mkdirSync(join(docsDir, 'schemas'), { recursive: true });
writeFileSync(join(docsDir, 'asyncapi.yaml'), renderAsyncApi());
for (const [name, schema] of Object.entries(renderJsonSchemas())) {
  writeFileSync(join(docsDir, 'schemas', `${name}.json`), `${JSON.stringify(schema, null, 2)}\n`);
}
process.stdout.write(`contracts written to ${docsDir}\n`);
