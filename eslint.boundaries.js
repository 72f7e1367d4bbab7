// The layers, as lint rules: apps → modules → packages. A module never imports another module or
// an app; a package never imports a module or an app; an app reaches another app only through
// the composition entry (@taskstream/api). Read from the workspace folders, so a new module or
// package is covered without editing this file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = import.meta.dirname;
const workspaces = (dir) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      try {
        return [{ dir: `${dir}/${d.name}`, name: JSON.parse(readFileSync(join(root, dir, d.name, 'package.json'), 'utf8')).name }];
      } catch {
        return [];
      }
    });

const modules = workspaces('modules');
const apps = workspaces('apps');
// A relative path that names a top-level folder leaves its workspace.
const crossingRelative = (folders) => folders.map((f) => ({ group: [`**/${f}/**`], message: `Import another workspace by its package name, not by a relative path into ${f}/.` }));
const names = (list) => list.map((w) => w.name);
const restrict = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

export const boundaries = [
  ...modules.map((m) =>
    restrict([`${m.dir}/**/*.{ts,tsx}`], [
      {
        group: [...names(modules).filter((n) => n !== m.name), ...names(modules).filter((n) => n !== m.name).map((n) => `${n}/*`), ...names(apps), ...names(apps).map((n) => `${n}/*`)],
        message: 'A module does not import another module or an app: talk through events (packages/events) or a port the app wires.',
      },
      ...crossingRelative(['modules', 'apps', 'packages']),
    ]),
  ),
  restrict(['packages/**/*.{ts,tsx}'], [
    { group: [...names(modules), ...names(modules).map((n) => `${n}/*`), ...names(apps), ...names(apps).map((n) => `${n}/*`)], message: 'A package holds no business rules: it may not import a module or an app.' },
    ...crossingRelative(['modules', 'apps', 'packages']),
  ]),
  ...apps.map((a) =>
    restrict([`${a.dir}/**/*.{ts,tsx}`], [
      {
        group: [...names(apps).filter((n) => n !== a.name && n !== '@taskstream/api'), '@taskstream/api/*'],
        message: 'Apps reach each other only through the composition entry, @taskstream/api.',
      },
      ...crossingRelative(['apps', 'modules', 'packages']),
    ]),
  ),
  restrict(['{bench,e2e}/**/*.ts'], [
    { group: ['**/apps/*/src/**', '**/modules/*/src/**', '**/packages/*/src/**'], message: 'Benchmarks and end-to-end tests use the workspaces\' public entries (@taskstream/api composes a process).' },
  ]),
];
