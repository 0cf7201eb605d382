// Reads and writes store settings. Every instance keeps the current settings in memory
// and reloads them when any instance announces a change (see change-bus.ts).
import { eq } from 'drizzle-orm';
import { storeSettings } from '../../db/schema.ts';
import type { Conn, Db } from '../../db/client.ts';
import { announceChange } from '../shared/change-bus.ts';
import { settingsSchema, type StoreSettings } from './store-settings.ts';
import { validationFailed } from '../shared/errors.ts';

export async function loadSettings(conn: Conn): Promise<StoreSettings> {
  const [row] = await conn.select().from(storeSettings).where(eq(storeSettings.id, 1));
  const parsed = settingsSchema.safeParse(row?.data ?? {});
  // Settings written by an older version may lack new fields: defaults fill them in.
  return parsed.success ? parsed.data : settingsSchema.parse({});
}

/** Validates a full settings document and stores it; returns field errors as a DomainError. */
export async function saveSettings(conn: Conn, input: unknown): Promise<StoreSettings> {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    throw validationFailed(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])));
  }
  await conn
    .insert(storeSettings)
    .values({ id: 1, data: parsed.data })
    .onConflictDoUpdate({ target: storeSettings.id, set: { data: parsed.data, updatedAt: new Date() } });
  return parsed.data;
}

/** Saves new settings and tells every instance to reload them, in one transaction. */
export async function updateSettings(db: Db, input: unknown): Promise<StoreSettings> {
  return db.transaction(async (tx) => {
    const saved = await saveSettings(tx, input);
    await announceChange(tx, 'settings');
    return saved;
  });
}
