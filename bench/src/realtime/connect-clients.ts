import WebSocket from 'ws';
import type { RunningServer } from '@taskstream/api';
import { ApiDriver } from '../api-driver.js';
import { progress } from '../pool.js';
import { text, type Inbox } from './inbox.js';
import { params } from './params.js';
import { readJson } from './read-json.js';

export interface Client {
  userId: string;
  token: string;
  taskId: string;
  sockets: WebSocket[];
}

function openSocket(baseUrl: string, token: string, inbox: Inbox): Promise<WebSocket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, { headers: { authorization: `Bearer ${token}` } });
  return new Promise((resolve, reject) => {
    ws.once('message', (raw: WebSocket.RawData) => {
      const hello = JSON.parse(text(raw)) as { type?: string };
      if (hello.type !== 'hello') return reject(new Error(`expected hello first, got ${text(raw).slice(0, 200)}`));
      ws.on('message', (data: WebSocket.RawData) => inbox.receive(data));
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`GET /ws answered ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Users signed up over HTTP, one task each, and their sockets (each has said hello). */
export async function connectClients(server: RunningServer, baseUrl: string, inbox: Inbox, signal: AbortSignal): Promise<Client[]> {
  const api = new ApiDriver(baseUrl, signal);
  const stamp = Date.now();
  const clients: Client[] = [];
  for (let u = 0; u < params.users; u++) {
    const token = await api.signUp(`bench-realtime-${u}-${stamp}@example.com`);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const me = await readJson<{ id: string }>(await fetch(`${baseUrl}/api/me`, { headers, signal }), 'GET /api/me');
    const task = await readJson<{ id: string }>(await fetch(`${baseUrl}/api/tasks`, { method: 'POST', headers, body: JSON.stringify({ title: `bench task of user ${u}` }), signal }), 'POST /api/tasks');
    const sockets = await Promise.all(Array.from({ length: params.socketsPerUser }, () => openSocket(baseUrl, token, inbox)));
    clients.push({ userId: me.id, token, taskId: task.id, sockets });
  }
  progress(`${clients.length} users signed up, ${clients.length * params.socketsPerUser} sockets open (${server.database.kind})`);
  return clients;
}
