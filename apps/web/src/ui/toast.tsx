import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';

interface Toast {
  id: number;
  message: string;
  action?: { label: string; run: () => void };
  tone: 'info' | 'error';
}

type Show = (message: string, options?: { action?: Toast['action']; tone?: Toast['tone'] }) => void;

const ToastContext = createContext<Show>(() => {});

export const useToast = () => useContext(ToastContext);

/** Short confirmations ("Completed …" with Undo) and errors of background actions, read out by screen readers. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback<Show>(
    (message, options = {}) => {
      const id = next.current++;
      setToasts((all) => [...all.filter((t) => t.tone === 'error').slice(-1), { id, message, tone: options.tone ?? 'info', ...(options.action && { action: options.action }) }]);
      window.setTimeout(() => dismiss(id), options.action ? 8000 : 5000);
    },
    [dismiss],
  );
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`}>
            <span>{t.message}</span>
            {t.action && (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  t.action!.run();
                  dismiss(t.id);
                }}
              >
                {t.action.label}
              </button>
            )}
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
