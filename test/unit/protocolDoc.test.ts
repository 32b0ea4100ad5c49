// PROTOCOL.md and protocol/protocol.ts must describe the same messages, fields and error codes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as z from '../../protocol/zod';
import { ErrorCode, methods, notifications } from '../../protocol/protocol';

const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', 'PROTOCOL.md'), 'utf8');

/** Headings `### \`name\`` under a `## ` section, each with its `- Params:` / `- Result:` fields. */
export function documented(
  markdown: string,
  section: string,
): Map<string, Record<string, string[]>> {
  const body = markdown.split(/^## /m).find((s) => s.startsWith(section)) ?? '';
  const out = new Map<string, Record<string, string[]>>();
  for (const block of body.split(/^### /m).slice(1)) {
    const name = /^`([^`]+)`/.exec(block)?.[1];
    if (!name) continue;
    const fields: Record<string, string[]> = {};
    for (const m of block.matchAll(/^- (Params|Result): (.*)$/gm)) {
      fields[m[1]!] = [...m[2]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!).sort();
    }
    out.set(name, fields);
  }
  return out;
}

const keysOf = (schema: z.ZodMiniType): string[] => {
  const inner =
    schema instanceof z.ZodMiniDefault ? (schema.def.innerType as z.ZodMiniType) : schema;
  return inner instanceof z.ZodMiniObject ? Object.keys(inner.shape).sort() : [];
};

describe('PROTOCOL.md', () => {
  it('documents exactly the requests in the protocol module, with their fields', () => {
    const docs = documented(doc, 'Requests');
    assert.deepEqual([...docs.keys()].sort(), Object.keys(methods).sort());
    for (const [name, m] of Object.entries(methods)) {
      assert.deepEqual(docs.get(name)?.Params ?? [], keysOf(m.params), `${name} params`);
      assert.deepEqual(docs.get(name)?.Result ?? [], keysOf(m.result), `${name} result`);
    }
  });

  it('documents exactly the notifications, with their fields', () => {
    const docs = documented(doc, 'Notifications');
    assert.deepEqual([...docs.keys()].sort(), Object.keys(notifications).sort());
    for (const [name, schema] of Object.entries(notifications)) {
      assert.deepEqual(docs.get(name)?.Params ?? [], keysOf(schema), `${name} params`);
    }
  });

  it('lists every error code with its value', () => {
    const rows = new Map(
      [...doc.matchAll(/^\| (-?\d+) \| (\w+) \|/gm)].map((m) => [m[2]!, Number(m[1])]),
    );
    assert.deepEqual(Object.fromEntries(rows), { ...ErrorCode });
  });

  it('notices a field missing from the page (the check can fail)', () => {
    const broken = doc.replace(
      '- Params: `protocolVersions`, `client`',
      '- Params: `protocolVersions`',
    );
    assert.notDeepEqual(
      documented(broken, 'Requests').get('initialize')?.Params,
      keysOf(methods.initialize.params),
    );
  });
});
