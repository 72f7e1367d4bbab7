import { createContext, useContext } from 'react';
import type { Me } from '../api/types.js';

export const MeContext = createContext<Me | null>(null);

/** The signed-in user; only used below the signed-in shell, where it is always set. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in app');
  return me;
}
