import { useEffect, useState } from 'react';

/**
 * The value, once it has stopped changing for `ms`. Changes are seen by identity, so pass a
 * primitive or a stable (memoized) object: a new object every render never settles.
 */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}
