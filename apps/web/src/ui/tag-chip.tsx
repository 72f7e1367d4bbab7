import type { ReactNode } from 'react';

/** Black or white text, whichever reads better on the tag's colour. */
function textOn(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return 'inherit';
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = parseInt(h!, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.4 ? '#111827' : '#ffffff';
}

export function TagChip({ name, color, children }: { name: string; color?: string | undefined; children?: ReactNode }) {
  const style = color ? { background: color, color: textOn(color), borderColor: color } : undefined;
  return (
    <span className="chip tag-chip" style={style}>
      #{name}
      {children}
    </span>
  );
}
