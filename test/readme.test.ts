import fs from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { buildSchema } from '../src/server/schema';
import { DEFAULT_QUERY } from '../src/server/graphiqlExample';

/** The README's examples and GraphiQL's opening query must run against the schema as it is. */
describe('documented GraphQL examples', () => {
  const schema = buildSchema();
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('finds the examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((b, i) => [i + 1, b]))('README example %i validates against the schema', (_i, block) => {
    // A block may hold several operations; each must be valid on its own.
    const ops = (block as string).split(/\n(?=(?:query|mutation|\{))/).filter((s) => s.trim());
    for (const op of ops) {
      const errors = validate(schema, parse(op));
      expect(errors.map((e) => e.message)).toEqual([]);
    }
  });

  it('GraphiQL opens with a valid query', () => {
    expect(validate(schema, parse(DEFAULT_QUERY)).map((e) => e.message)).toEqual([]);
  });
});
