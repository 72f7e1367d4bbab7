import { api } from '../api/endpoints.js';
import type { Notification as AppNotification } from '../api/types.js';

const PUSH_KEY = 'taskstream:push-endpoint';

const browserNotificationsSupported = () => typeof window !== 'undefined' && 'Notification' in window;

export function browserPermission(): NotificationPermission | 'unsupported' {
  return browserNotificationsSupported() ? Notification.permission : 'unsupported';
}

const pushActive = () => {
  try {
    return !!localStorage.getItem(PUSH_KEY);
  } catch {
    return false;
  }
};

/**
 * Asks the browser for permission, then subscribes to Web Push when the server offers it, so
 * reminders arrive even with every tab closed. Without push, open tabs show notifications themselves.
 */
export async function enableBrowserNotifications(): Promise<{ permission: NotificationPermission | 'unsupported'; push: boolean }> {
  if (!browserNotificationsSupported()) return { permission: 'unsupported', push: false };
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return { permission, push: false };
  return { permission, push: await subscribePush().catch(() => false) };
}

async function subscribePush(): Promise<boolean> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return false;
  const { publicKey } = await api.pushPublicKey();
  const registration = await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64UrlToBytes(publicKey) }));
  const json = subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
  await api.addPushSubscription({ endpoint: json.endpoint, keys: json.keys });
  localStorage.setItem(PUSH_KEY, json.endpoint);
  return true;
}

export async function disableBrowserPush(): Promise<void> {
  const endpoint = localStorage.getItem(PUSH_KEY);
  localStorage.removeItem(PUSH_KEY);
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration('/sw.js');
  const subscription = await registration?.pushManager.getSubscription();
  await subscription?.unsubscribe();
  if (endpoint) await api.removePushSubscription(endpoint).catch(() => undefined);
}

/** Shows a system notification for a new in-app one while the page is in the background. */
export function notifyInBrowser(n: AppNotification, open: (taskId: string) => void): void {
  if (browserPermission() !== 'granted' || pushActive() || !document.hidden) return;
  const shown = new Notification(n.title, { body: n.body, tag: n.id });
  shown.onclick = () => {
    window.focus();
    if (n.taskId) open(n.taskId);
    shown.close();
  };
}

function base64UrlToBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}
