import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client.js';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // Retry only what may pass next time: the network and the server's own failures.
        retry: (count, e) => e instanceof ApiError && (e.status === 0 || e.status >= 500) && count < 3,
      },
    },
  });
}
