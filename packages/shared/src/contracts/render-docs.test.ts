import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderAsyncApi, renderJsonSchemas } from './render-docs';

const docs = join(__dirname, '../../../../docs');

describe('generated contract documents', () => {
  it('docs/asyncapi.yaml is current (run `pnpm contracts:generate` after changing a contract)', () => {
    expect(readFileSync(join(docs, 'asyncapi.yaml'), 'utf8')).toBe(renderAsyncApi());
  });

  it('docs/schemas/*.json are current, one per topic', () => {
    const rendered = renderJsonSchemas();
    const files = readdirSync(join(docs, 'schemas')).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(
      Object.keys(rendered)
        .map((n) => `${n}.json`)
        .sort(),
    );
    for (const [name, schema] of Object.entries(rendered)) {
      expect(readFileSync(join(docs, 'schemas', `${name}.json`), 'utf8')).toBe(`${JSON.stringify(schema, null, 2)}\n`);
    }
  });

  it('is a valid-looking AsyncAPI 3 document', () => {
    const doc = parse(renderAsyncApi());
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.keys(doc.channels)).toContain('eventChanges');
    expect(doc.components.messages.eventChanges.payload.schema.properties.payload).toBeDefined();
  });
});
