// CSV for spreadsheets (RFC 4180). Exports hold what customers typed (names, addresses), and
// a spreadsheet runs a cell starting with = + - @ as a formula: such cells get a leading
// apostrophe, which spreadsheets show as text.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows to CSV text, CRLF line ends, with a BOM so spreadsheet programs read UTF-8 names right. */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
