import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { ToastProvider } from '../ui/toast.js';
import { SessionGate } from './session-gate.js';

export function App({ client }: { client: QueryClient }) {
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>
        <SessionGate />
      </ToastProvider>
    </QueryClientProvider>
  );
}
