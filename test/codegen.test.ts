import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * src/generated/*.ts are committed, so a clean clone type-checks, tests and starts without a generation step.
 * This regenerates them in dry-run mode (`graphql-codegen --check`, offline: it reads schema/*.graphql) and fails
 * when a committed file is stale: run `npm run codegen` after editing the schema or codegen.ts.
 */
describe('generated GraphQL types', () => {
  it('src/generated matches schema/*.graphql (run `npm run codegen` if this fails)', () => {
    const root = path.join(__dirname, '..');
    const bin = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'graphql-codegen.cmd' : 'graphql-codegen');
    const r = spawnSync(bin, ['--config', 'codegen.ts', '--check', '--silent'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    const stale = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter((l) => /^\s*- src\/generated\//.test(l));
    expect({ stale, error: r.error?.message }).toEqual({ stale: [], error: undefined });
    expect(r.status).toBe(0);
  });
});

/** Resolvers take their argument and parent types from the generated Resolvers: no `any` creeps back in. */
describe('typed resolvers', () => {
  it('no resolvers file of src/modules uses `any`, and each types its resolvers with the generated Resolvers', () => {
    const modules = path.join(__dirname, '..', 'src', 'modules');
    const files = fs.readdirSync(modules).flatMap((m) =>
      fs.readdirSync(path.join(modules, m)).filter((f) => f.endsWith('.resolvers.ts')).map((f) => path.join(modules, m, f)),
    );
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      if (/[:<,(]\s*any\b|\bas any\b|\bany\[\]/.test(text)) offenders.push(`${path.relative(modules, file)}: any`);
      const rel = path.relative(modules, file);
      if (!/export const \w+Resolvers: Resolvers = \{/.test(text)) offenders.push(`${rel}: not typed as Resolvers`);
    }
    expect(offenders).toEqual([]);
  });
});
