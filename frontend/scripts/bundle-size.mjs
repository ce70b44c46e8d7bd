// Prints what a browser downloads for the console's first page — the
// scripts, module preloads and styles index.html names — gzipped, and
// fails the build past the budget. Page chunks (React.lazy) and ECharts
// load later and are listed apart.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 500;
const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const firstLoad = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => (bytes / 1024).toFixed(1).padStart(7) + ' KB';

let total = 0;
console.log('First load (gzip):');
for (const file of firstLoad) {
  const size = gz(file);
  total += size;
  console.log(`  ${kb(size)}  ${file}`);
}
console.log(`  ${kb(total)}  total (budget ${BUDGET_KB} KB)`);

const later = readdirSync(join(dist, 'assets'))
  .map((f) => `assets/${f}`)
  .filter((f) => f.endsWith('.js') && !firstLoad.includes(f));
const laterTotal = later.reduce((sum, f) => sum + gz(f), 0);
console.log(`Loaded on demand: ${later.length} chunks, ${kb(laterTotal).trim()} gzip in all`);

if (total > BUDGET_KB * 1024) {
  console.error(`The first load is over the ${BUDGET_KB} KB budget: split the page that grew it (React.lazy in src/app/routes.tsx).`);
  process.exit(1);
}
