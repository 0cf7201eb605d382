// Order numbers as people type them. Numbers are made by readableNumber(prefix): a prefix
// of 1–4 capital letters and a dash, then two groups of four (CS-7K3M-9QX2). People read
// them over the phone or copy them from an email, so "cs 7k3m 9qx2" and "CS7K3M9QX2" mean
// the same order; rebuilding the stored form lets the lookup use the unique index.

/** The stored form of a typed order number, or undefined when it cannot be one. */
export function canonicalOrderNumber(input: string): string | undefined {
  const compact = input.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  const m = /^([A-Z]{1,4})([0-9A-Z]{4})([0-9A-Z]{4})$/.exec(compact);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}
