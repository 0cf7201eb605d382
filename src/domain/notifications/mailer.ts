// Where rendered emails go: an SMTP server (nodemailer) when SMTP_URL is set, otherwise
// .eml files under DATA_DIR/mail, so the store runs without a mail server and staff can
// still read what would have been sent. The outbox worker only sees the Mailer interface.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { NodemailerError } from 'nodemailer';
import { notFound } from '../shared/errors.ts';

export type MailMessage = {
  /** `<outbox-42@shop.example>`: stable per outbox row, so a resend is recognisable. */
  messageId: string;
  from: string;
  replyTo: string;
  to: string;
  subject: string;
  html: string;
  text: string;
};

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** A send that failed. `permanent`: the server refused this message for good, so retrying cannot help. */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'MailDeliveryError';
  }
}

/** Headers and options both mailers share. */
function composeOptions(m: MailMessage) {
  return {
    messageId: m.messageId,
    from: m.from,
    replyTo: m.replyTo,
    to: m.to,
    subject: m.subject,
    html: m.html,
    text: m.text,
    // Tells vacation responders and mailing lists not to answer an automatic email.
    headers: { 'Auto-Submitted': 'auto-generated' },
    // Message parts are strings we rendered: never let an option make nodemailer read a file or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

export function smtpMailer(smtpUrl: string): Mailer {
  const transport = nodemailer.createTransport({
    // smtp:// upgrades with STARTTLS whenever the server offers it; smtps:// is TLS from the start.
    // Query options in the URL (e.g. ?ignoreTLS=true) take precedence over the values below.
    url: smtpUrl,
    // A dead or stuck server fails a send in seconds instead of minutes: the row is simply retried later,
    // and a send must end well inside the worker's lease on the row.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    dnsTimeout: 10_000,
  });
  return {
    async send(message) {
      try {
        await transport.sendMail(composeOptions(message));
      } catch (err) {
        const e = err as NodemailerError & { permanent?: boolean };
        // Only a refusal of this message or its recipient is final; a refused login or a lost
        // connection is the server's state, which the next attempt may find fixed.
        const permanent = e.permanent === true && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE');
        throw new MailDeliveryError(e.message ?? String(err), permanent);
      }
    },
  };
}

/** `<outbox-42@shop.example>` → `outbox-42.eml`: a resend of the same row replaces its file. */
export function mailFileName(messageId: string): string {
  const local = messageId.replace(/^<|>$/g, '').split('@')[0] ?? '';
  const safe = local.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._]+/, '');
  return `${safe || 'message'}.eml`;
}

export function fileMailer(dir: string): Mailer {
  return {
    async send(message) {
      const mime = await new MailComposer(composeOptions(message)).compile().build();
      await fs.mkdir(dir, { recursive: true });
      const target = path.join(dir, mailFileName(message.messageId));
      // Write under a hidden temporary name, flush, then rename: a reader sees the whole file or none.
      const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      const handle = await fs.open(tmp, 'w');
      try {
        await handle.writeFile(mime);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, target);
    },
  };
}

export function createMailer(config: { smtpUrl?: string; dataDir: string }): Mailer {
  return config.smtpUrl ? smtpMailer(config.smtpUrl) : fileMailer(mailDir(config));
}

export const mailDir = (config: { dataDir: string }) => path.join(config.dataDir, 'mail');

// ---------------------------------------------------------------------------------------
// Reading the .eml files back, for the back office. These are files we wrote ourselves
// (MailComposer output), so a small MIME reader is enough: headers with encoded words,
// multipart nesting, quoted-printable and base64 bodies.

export type MailFileSummary = {
  name: string;
  size: number;
  modifiedAt: Date;
  subject: string;
  to: string;
  date: Date;
  messageId: string;
};

export type MailFile = MailFileSummary & { from: string; replyTo: string; html: string | null; text: string | null };

const MAIL_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.eml$/;

/** The newest `limit` mail files, newest first; an absent folder is an empty list. */
export async function listMailFiles(dir: string, limit = 50): Promise<MailFileSummary[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => MAIL_FILE.test(n));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const stats = await Promise.all(
    names.map(async (name) => {
      const s = await fs.stat(path.join(dir, name)).catch(() => null);
      return s ? { name, size: s.size, modifiedAt: s.mtime } : null;
    }),
  );
  const newest = stats
    .filter((s) => s !== null)
    .sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime() || b.name.localeCompare(a.name))
    .slice(0, Math.max(0, limit));
  return Promise.all(
    newest.map(async (f) => {
      // The headers sit at the top: the first 16 KB hold them, whatever the body's size.
      const handle = await fs.open(path.join(dir, f.name), 'r');
      try {
        const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(16 * 1024), position: 0 });
        const { headers } = splitPart(buffer.subarray(0, bytesRead).toString('latin1'));
        return { ...f, ...summaryOf(headers, f.modifiedAt) };
      } finally {
        await handle.close();
      }
    }),
  );
}

/** One mail file, parsed. Only plain file names inside `dir` are accepted. */
export async function readMailFile(dir: string, name: string): Promise<MailFile> {
  if (!MAIL_FILE.test(name)) throw notFound('Mail file');
  const file = path.join(dir, name);
  let raw: Buffer;
  let modifiedAt: Date;
  try {
    [raw, modifiedAt] = await Promise.all([fs.readFile(file), fs.stat(file).then((s) => s.mtime)]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('Mail file');
    throw err;
  }
  const root = splitPart(raw.toString('latin1'));
  const bodies: { html: string | null; text: string | null } = { html: null, text: null };
  collectBodies(root, bodies);
  return {
    name,
    size: raw.length,
    modifiedAt,
    ...summaryOf(root.headers, modifiedAt),
    from: decodeHeader(root.headers.get('from') ?? ''),
    replyTo: decodeHeader(root.headers.get('reply-to') ?? ''),
    ...bodies,
  };
}

type Part = { headers: Map<string, string>; body: string };

function summaryOf(headers: Map<string, string>, fallbackDate: Date) {
  const date = new Date(headers.get('date') ?? '');
  return {
    subject: decodeHeader(headers.get('subject') ?? ''),
    to: decodeHeader(headers.get('to') ?? ''),
    date: Number.isNaN(date.getTime()) ? fallbackDate : date,
    messageId: headers.get('message-id') ?? '',
  };
}

/** Header block and body; `raw` is a byte string (latin1), decoded to text only per part. */
function splitPart(raw: string): Part {
  const gap = /\r?\n\r?\n/.exec(raw);
  const head = gap ? raw.slice(0, gap.index) : raw;
  const headers = new Map<string, string>();
  // Unfold: a line starting with white space continues the header above it.
  for (const line of head.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(key)) headers.set(key, line.slice(colon + 1).trim());
  }
  return { headers, body: gap ? raw.slice(gap.index + gap[0].length) : '' };
}

function collectBodies(part: Part, out: { html: string | null; text: string | null }): void {
  const type = part.headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    for (const piece of part.body.split(`--${boundary}`).slice(1)) {
      if (piece.startsWith('--')) break; // the closing delimiter
      collectBodies(splitPart(piece.replace(/^[ \t]*\r?\n/, '').replace(/\r?\n$/, '')), out);
    }
    return;
  }
  const attachment = /^\s*attachment/i.test(part.headers.get('content-disposition') ?? '');
  const kind = /^text\/html/i.test(type) ? 'html' : /^text\/plain/i.test(type) ? 'text' : null;
  if (!kind || attachment || out[kind] !== null) return;
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(part.body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? Buffer.from(part.body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1')
        : Buffer.from(part.body, 'latin1');
  out[kind] = decodeCharset(bytes, /charset="?([^";]+)"?/i.exec(type)?.[1] ?? 'utf-8');
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.trim()).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

const ENCODED_WORD = /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g;

/**
 * RFC 2047 encoded words (=?UTF-8?Q?…?=). Adjacent words are decoded as one byte run, so a
 * character split across two words comes out whole; the space between them is not text.
 */
function decodeHeader(value: string): string {
  return value.replace(/(?:=\?[^?]+\?[QqBb]\?[^?]*\?=[ \t]*)+/g, (run) => {
    const trailing = /[ \t]*$/.exec(run)![0];
    const words = [...run.matchAll(ENCODED_WORD)];
    const bytes = Buffer.concat(
      words.map(([, , enc, text]) =>
        enc!.toUpperCase() === 'B'
          ? Buffer.from(text!, 'base64')
          : Buffer.from(text!.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1'),
      ),
    );
    return decodeCharset(bytes, words[0]![1]!) + trailing;
  });
}
