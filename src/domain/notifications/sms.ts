// Where text messages go. The default writes each message to a file under DATA_DIR/sms, as
// the mail default does with emails, so one-time codes work without an SMS account and staff
// can read what would have been sent. A provider (Twilio, Vonage…) is another SmsSender; the
// outbox worker only sees the interface and retries failures like emails.
import fs from 'node:fs/promises';
import path from 'node:path';

export type SmsMessage = {
  /** Stable per outbox row (`outbox-42`), so a resend replaces rather than duplicates. */
  id: string;
  /** E.164 */
  to: string;
  body: string;
};

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

export const smsDir = (config: { dataDir: string }) => path.join(config.dataDir, 'sms');

export function fileSmsSender(dir: string): SmsSender {
  return {
    async send(m) {
      await fs.mkdir(dir, { recursive: true });
      const target = path.join(dir, `${m.id.replace(/[^A-Za-z0-9_-]/g, '_')}.txt`);
      // Written whole then renamed: a reader never sees half a message.
      await fs.writeFile(`${target}.tmp`, `To: ${m.to}\n\n${m.body}\n`);
      await fs.rename(`${target}.tmp`, target);
    },
  };
}

export const createSmsSender = (config: { dataDir: string }): SmsSender => fileSmsSender(smsDir(config));
