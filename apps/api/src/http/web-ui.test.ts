import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { DEFAULT_WEB_DIR } from './web-ui.js';

const html = { accept: 'text/html,application/xhtml+xml' };

describe('the web UI served by the API', () => {
  let dir: string;
  let t: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'taskstream-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Taskstream</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
    t = await createTestApp({ webDir: dir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / without caching it, and hashed assets for a year', async () => {
    const index = await t.app.inject({ url: '/', headers: html });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body).toContain('<div id="root">');
    const asset = await t.app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
  });

  it('answers any page a browser opens with the app, so client routes survive a reload', async () => {
    for (const url of ['/tasks/0b8a7c52-3f0e-4e8a-9c1e-2d1f0a6b9c3d', '/tags', '/?status=completed&tags=home']) {
      const res = await t.app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('leaves the API, its docs and unknown API paths alone', async () => {
    const unknown = await t.app.inject({ url: '/api/nothing', headers: html });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('route_not_found');
    expect((await t.app.inject({ url: '/api/tasks', headers: html })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/openapi.json' })).json().openapi).toBe('3.1.0');
    const { token } = await t.signUp();
    expect((await t.app.inject({ url: '/api/tasks', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
  });

  it('answers a missing file that is not a page with a 404 problem, not the app', async () => {
    const res = await t.app.inject({ url: '/assets/missing.js', headers: { accept: '*/*' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('starts without a built UI and serves the API only', async () => {
    const bare = await createTestApp({ webDir: join(dir, 'not-built') });
    try {
      expect((await bare.app.inject({ url: '/', headers: html })).statusCode).toBe(404);
      expect((await bare.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe('where the API looks for the web UI by default', () => {
  it('is apps/web/dist, where npm run build:web writes it', () => {
    expect(DEFAULT_WEB_DIR).toBe(fileURLToPath(new URL('../../../web/dist', import.meta.url)));
    expect(DEFAULT_WEB_DIR.endsWith(join('apps', 'web', 'dist'))).toBe(true);
  });
});
