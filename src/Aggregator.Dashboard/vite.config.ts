import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

// The contract the client is generated from also says which lists have a CSV sibling path (/api/v1/rollups.csv);
// the CSV links use those when present, else format=csv on the JSON path.
const contract = JSON.parse(readFileSync(new URL('../../openapi/aggregator.v1.json', import.meta.url), 'utf8')) as { paths: Record<string, unknown> };
const csvPaths = Object.keys(contract.paths).filter((p) => p.endsWith('.csv'));

export default defineConfig({
  base: '/dashboard/',
  define: { __CSV_PATHS__: JSON.stringify(csvPaths) },
  build: {
    outDir: '../Aggregator.Api/wwwroot/dashboard',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
    reportCompressedSize: true,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:5080' } },
});
