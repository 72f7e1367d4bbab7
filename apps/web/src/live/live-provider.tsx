import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { NotificationChangedData } from '../api/types.js';
import { applyLiveMessage } from './apply-live-message.js';
import { LiveConnection, type LiveStatus } from './live-connection.js';

const LiveContext = createContext<LiveStatus>('connecting');
export const useLiveStatus = () => useContext(LiveContext);

const socketUrl = (lastEventId: string | null) => {
  const url = new URL('/ws', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (lastEventId) url.searchParams.set('lastEventId', lastEventId);
  return url.toString();
};

const serverReachable = async () => {
  try {
    return (await fetch('/healthz', { cache: 'no-store' })).ok;
  } catch {
    return false;
  }
};

/** Keeps one live connection for the signed-in user and feeds its messages into the query cache. */
export function LiveProvider({ children, onNotification }: { children: ReactNode; onNotification: (d: NotificationChangedData) => void }) {
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const notify = useRef(onNotification);
  useEffect(() => {
    notify.current = onNotification;
  }, [onNotification]);
  useEffect(() => {
    const connection = new LiveConnection({
      url: socketUrl,
      onMessage: (m) => applyLiveMessage(client, m, (d) => notify.current(d)),
      onStatus: setStatus,
      onReconnect: () => void client.invalidateQueries(),
      // Signed out in another tab or device: asking who we are again leads the app to sign-in.
      onSignedOut: () => void client.invalidateQueries({ queryKey: ['me'] }),
      serverReachable,
    });
    connection.start();
    return () => connection.stop();
  }, [client]);
  return <LiveContext.Provider value={status}>{children}</LiveContext.Provider>;
}

const LABELS: Partial<Record<LiveStatus, string>> = {
  reconnecting: 'Reconnecting…',
  offline: 'Offline — changes will show when you are back online',
  unavailable: 'Live updates unavailable; refreshing every 15 s',
};

/** Says when the app is not live; silent while it is. */
export function LiveIndicator() {
  const status = useLiveStatus();
  const label = LABELS[status];
  return (
    <div className={`live-indicator live-${status}`} role="status" aria-live="polite" data-status={status}>
      {label && (
        <>
          <span className="dot" aria-hidden="true" />
          {label}
        </>
      )}
    </div>
  );
}
