import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints.js';
import { Link } from '../lib/router.js';
import { detectTimeZone } from '../lib/time.js';
import { errorMessage } from '../ui/states.js';
import { TimeZoneSelect } from './time-zone-select.js';

function useAuthSubmit(run: () => Promise<unknown>) {
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await run();
      // Refetching who is signed in swaps the sign-in page for the app.
      await client.resetQueries();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return { submit, error, busy };
}

function AuthFrame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="auth" id="main">
      <div className="auth-card">
        <p className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">✓</span> Taskstream
        </p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { submit, error, busy } = useAuthSubmit(() => api.signIn({ email, password }));
  return (
    <AuthFrame title="Sign in">
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label className="field">
          <span>Email</span>
          <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted">
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
    </AuthFrame>
  );
}

export function SignUpPage() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [timeZone, setTimeZone] = useState(detectTimeZone);
  const { submit, error, busy } = useAuthSubmit(() => api.signUp({ name: name.trim() || email.split('@')[0] || 'Me', email, password, timeZone }));
  return (
    <AuthFrame title="Create your account">
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label className="field">
          <span>Name</span>
          <input autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>Email</span>
          <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <div className="field">
          <label htmlFor="new-password">Password</label>
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            aria-describedby="password-hint"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <small id="password-hint" className="muted">
            At least 8 characters.
          </small>
        </div>
        <TimeZoneSelect value={timeZone} onChange={setTimeZone} hint="Detected from this device; due dates and reminders use it." />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p className="muted">
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </AuthFrame>
  );
}
