// Fails when src/api/schema.gen.ts is not what openapi-typescript makes of
// api/openapi.yaml today (run `make openapi-client` and commit the result).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const committed = join(root, 'src/api/schema.gen.ts');
const dir = mkdtempSync(join(tmpdir(), 'openapi-client-'));
try {
  const fresh = join(dir, 'schema.gen.ts');
  execFileSync(join(root, 'node_modules/.bin/openapi-typescript'), ['../api/openapi.yaml', '-o', fresh], { cwd: root, stdio: 'pipe' });
  if (readFileSync(fresh, 'utf8') !== readFileSync(committed, 'utf8')) {
    console.error('frontend/src/api/schema.gen.ts is stale: api/openapi.yaml changed. Run `make openapi-client` and commit it.');
    process.exit(1);
  }
  console.log('openapi client: up to date with api/openapi.yaml');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
