// What a shopper is told about availability.
export type StockStatus = { label: string; level: 'in' | 'low' | 'out' };

/** "In stock", "Only 3 left" (at or below the low-stock threshold) or "Out of stock". */
export function stockStatus(stock: number, lowThreshold = 5): StockStatus {
  if (stock <= 0) return { label: 'Out of stock', level: 'out' };
  if (stock <= lowThreshold) return { label: `Only ${stock} left`, level: 'low' };
  return { label: 'In stock', level: 'in' };
}
