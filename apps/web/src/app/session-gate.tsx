import { useQuery } from '@tanstack/react-query';
import { SignInPage, SignUpPage } from '../account/auth-pages.js';
import { ApiError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import { Redirect, useLocation } from '../lib/router.js';
import { MeContext } from '../session/session.js';
import { ErrorState, Loading } from '../ui/states.js';
import { SignedIn } from './signed-in.js';

const PUBLIC_PATHS = ['/sign-in', '/sign-up'];

/** Asks who is signed in: the sign-in and sign-up pages for nobody, the app (with its user) for someone. */
export function SessionGate() {
  const { path } = useLocation();
  const me = useQuery({ queryKey: ['me'], queryFn: api.me, retry: (n, e) => !(e instanceof ApiError && e.status === 401) && n < 3 });
  if (me.isPending) return <Loading label="Opening Taskstream…" />;
  if (me.error instanceof ApiError && me.error.status === 401) {
    if (!PUBLIC_PATHS.includes(path)) return <Redirect to="/sign-in" />;
    return path === '/sign-up' ? <SignUpPage /> : <SignInPage />;
  }
  if (me.isError) {
    return (
      <main className="auth" id="main">
        <ErrorState error={me.error} what="Taskstream" onRetry={() => void me.refetch()} />
      </main>
    );
  }
  if (PUBLIC_PATHS.includes(path)) return <Redirect to="/" />;
  return (
    <MeContext.Provider value={me.data}>
      <SignedIn />
    </MeContext.Provider>
  );
}
