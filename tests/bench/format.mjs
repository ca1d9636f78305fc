// Small number and table helpers shared by the bench's measurements.

/** The middle value of `xs` (mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const round1 = (x) => Math.round(x * 10) / 10;
export const round2 = (x) => Math.round(x * 100) / 100;
export const fmtBytes = (n) => n.toLocaleString('en-US');

/** Render rows (arrays) as an aligned text table; first row is the header. */
export function textTable(rows, alignRight = () => true) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => r.map((v, c) => (c > 0 && alignRight(c) ? String(v).padStart(widths[c]) : String(v).padEnd(widths[c]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
