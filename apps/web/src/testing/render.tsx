import type { ReactElement } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MeContext } from '../session/session.js';
import type { Me } from '../api/types.js';
import { ToastProvider } from '../ui/toast.js';

export const testMe: Me = {
  id: 'user-1',
  email: 'ada@example.com',
  name: 'Ada',
  timeZone: 'Europe/Berlin',
  notifications: { inApp: true, email: false, push: false },
  createdAt: '2026-01-01T00:00:00.000Z',
};

/** Renders inside the app's providers as a signed-in user; data comes from the returned client's cache. */
export function renderSignedIn(ui: ReactElement, { me = testMe, seed }: { me?: Me; seed?: (client: QueryClient) => void } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
  seed?.(client);
  const result = render(
    <QueryClientProvider client={client}>
      <ToastProvider>
        <MeContext.Provider value={me}>{ui}</MeContext.Provider>
      </ToastProvider>
    </QueryClientProvider>,
  );
  return { ...result, client };
}
