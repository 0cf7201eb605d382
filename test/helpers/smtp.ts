// A real SMTP server on 127.0.0.1 for tests (smtp-server, no STARTTLS): it keeps every
// message it accepts, parsed with mailparser, so tests can read what a customer would get.
import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { mail: ParsedMail; raw: string; envelopeTo: string[] };

export type TestSmtp = {
  port: number;
  /** URL for smtpMailer: the server offers no STARTTLS and the client does not ask. */
  url: string;
  messages: ReceivedMail[];
  /** Resolves once `count` messages have arrived; rejects after `ms`. */
  waitFor(count: number, ms?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
};

export const smtpUrl = (port: number) => `smtp://127.0.0.1:${port}/?ignoreTLS=true`;

/** A port nothing listens on (yet): an SMTP server that is down. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startSmtp(opts: { port?: number; rejectRecipient?: (address: string) => boolean } = {}): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (opts.rejectRecipient?.(address.address)) {
        return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((mail) => {
            messages.push({ mail, raw: raw.toString('utf8'), envelopeTo: session.envelope.rcptTo.map((r) => r.address) });
            waiters.forEach((w) => w());
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as net.AddressInfo).port;
  return {
    port,
    url: smtpUrl(port),
    messages,
    waitFor(count, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve(messages);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => reject(new Error(`expected ${count} emails within ${ms} ms, got ${messages.length}`)), ms);
        if (!check()) waiters.push(check);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
