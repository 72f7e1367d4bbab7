// Small helpers shared by the benchmark charts (plain SVG text, no dependencies).

export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** 1, 2, 2.5, 5 × 10^n: a round axis maximum and step for values up to `max`. */
export function niceAxis(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  return { top: Math.ceil(max / step) * step, step };
}

/** A number for a label: whole above 100, one decimal above 10, else two. */
export function fmt(v: number): string {
  if (v >= 100) return Math.round(v).toLocaleString('en-US');
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** The opening of a white SVG document with a title and a grey subtitle. */
export function svgHeader(width: number, height: number, title: string, subtitle: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">\n` +
    `<rect width="100%" height="100%" fill="#ffffff"/>\n` +
    `<text x="20" y="28" font-size="18" font-weight="700">${esc(title)}</text>\n` +
    `<text x="20" y="48" font-size="12" fill="#4b5563">${esc(subtitle)}</text>`
  );
}
