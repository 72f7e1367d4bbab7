// Service worker for Web Push: shows a reminder when no Taskstream tab is in front.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = data.title || 'Taskstream reminder';
  const url = data.url || (data.taskId ? `/tasks/${data.taskId}` : '/');
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((clients) => {
      // A visible tab shows the in-app notification already.
      if (clients.some((c) => c.visibilityState === 'visible')) return undefined;
      return self.registration.showNotification(title, { body: data.body || '', tag: data.tag, data: { url } });
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || '/';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((clients) => {
      const open = clients.find((c) => 'focus' in c);
      if (open) return open.navigate(url).then((c) => (c || open).focus());
      return self.clients.openWindow(url);
    }),
  );
});
