import fs from 'node:fs';
import path from 'node:path';
import { isEnumType } from 'graphql';
import { buildSchema } from '../src/server/schema';

/**
 * DomainError's code is the generated ErrorCode union, so the compiler refuses an unknown code there. Codes
 * handed to zod refinements (`params: { code: '…' }`) are untyped strings: this checks them against the enum.
 */
describe('error codes', () => {
  const enumType = buildSchema().getType('ErrorCode');
  const known = new Set(isEnumType(enumType) ? enumType.getValues().map((v) => v.name) : []);

  function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
    });
  }

  it('every code given to a zod refinement is a value of the schema enum ErrorCode', () => {
    const used = new Map<string, string>();
    for (const file of sources(path.join(__dirname, '..', 'src'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/params:\s*\{\s*code:\s*'([A-Z_]+)'/g)) used.set(m[1], file);
    }
    expect(used.size).toBeGreaterThan(0);
    expect([...used.keys()].filter((c) => !known.has(c))).toEqual([]);
  });
});
