import { useMemo } from 'react';
import { timeZones } from '../lib/time.js';
import { SelectField } from '../ui/select-field.js';

export function TimeZoneSelect({ value, onChange, hint, label = 'Time zone' }: { value: string; onChange: (zone: string) => void; hint?: string; label?: string }) {
  const zones = useMemo(() => {
    const all = timeZones();
    return all.includes(value) ? all : [value, ...all];
  }, [value]);
  return (
    <SelectField label={label} hint={hint} value={value} onChange={(e) => onChange(e.target.value)}>
      {zones.map((z) => (
        <option key={z} value={z}>
          {z.replaceAll('_', ' ')}
        </option>
      ))}
    </SelectField>
  );
}
