import { spawnSync } from 'node:child_process';
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
