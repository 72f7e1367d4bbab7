// The import graph's rules that a lint rule cannot see, checked with madge over the sources:
//  1. no file-level import cycle anywhere (workspace-level cycles are refused by `tsc -b`);
//  2. no relative import that leaves its workspace (modules/x, packages/y, apps/z): workspaces
//     reach each other by package name, which the lint rules in eslint.boundaries.js police.
// Tests, benchmarks and e2e may import the infrastructure scripts (scripts/infra/*.mjs).
// Prints what it checked and every violation; exits 1 on any. Run by `npm run lint`.
import { relative, resolve, sep } from 'node:path';
import madge from 'madge';

const root = resolve(import.meta.dirname, '..');
const result = await madge(['apps', 'modules', 'packages', 'bench/src', 'e2e', 'scripts'].map((d) => resolve(root, d)), {
  baseDir: root,
  fileExtensions: ['ts', 'tsx', 'mjs'],
  excludeRegExp: [/(^|\/)(dist|node_modules|results)\//],
  tsConfig: resolve(root, 'tsconfig.base.json'),
  detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
});

const workspaceOf = (file) => {
  const parts = file.split(sep);
  return ['apps', 'modules', 'packages'].includes(parts[0] ?? '') ? parts.slice(0, 2).join('/') : parts[0] === 'bench' ? 'bench' : (parts[0] ?? '');
};
const isTestish = (file) => /\.test\.tsx?$/.test(file) || file.startsWith(`bench${sep}`) || file.startsWith(`e2e${sep}`);

const problems = [];
const graph = result.obj();
let edges = 0;
for (const [from, deps] of Object.entries(graph)) {
  for (const to of deps) {
    edges++;
    if (workspaceOf(from) === workspaceOf(to)) continue;
    if (to.startsWith(`scripts${sep}infra${sep}`) && (isTestish(from) || from.startsWith(`scripts${sep}`))) continue;
    problems.push(`${from} imports ${to} by a relative path across workspaces (${workspaceOf(from)} → ${workspaceOf(to)}): use the package name`);
  }
}
for (const cycle of result.circular()) problems.push(`import cycle: ${cycle.join(' → ')} → ${cycle[0]}`);

console.log(`check-architecture: ${Object.keys(graph).length} files, ${edges} relative imports, ${result.circular().length} cycles`);
for (const p of problems) console.error(`  ✖ ${relative(root, resolve(root, p.split(' ')[0] ?? ''))} ${p.slice(p.indexOf(' ') + 1)}`);
process.exit(problems.length ? 1 : 0);
