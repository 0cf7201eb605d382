// The back-office page frame: top bar (store, signed-in member, sign out), the section
// navigation (only what the member's role may use), a one-time notice after a redirect,
// and the page itself. Never cached: every page is personal.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../../context.ts';
import { ROLES, can, type Permission } from '../../domain/staff/roles.ts';
import type { StaffIdentity } from '../../domain/staff/staff-service.ts';
import { assetUrl } from '../assets.ts';
import { escapeHtml, render } from '../pages/html.tsx';

export type NavKey = 'dashboard' | 'orders' | 'support' | 'returns' | 'catalog' | 'stock' | 'discounts' | 'mail' | 'notifications' | 'webhooks' | 'staff' | 'settings' | 'backups';

/** The sections of the back office and the permission each needs to appear. */
export const ADMIN_NAV: readonly { key: NavKey; label: string; href: string; permission?: Permission }[] = [
  { key: 'dashboard', label: 'Dashboard', href: '/admin' },
  { key: 'orders', label: 'Orders', href: '/admin/orders', permission: 'orders.view' },
  { key: 'support', label: 'Support', href: '/admin/support', permission: 'support.reply' },
  { key: 'returns', label: 'Returns', href: '/admin/returns', permission: 'returns.manage' },
  { key: 'catalog', label: 'Catalog', href: '/admin/products', permission: 'catalog.edit' },
  { key: 'stock', label: 'Stock', href: '/admin/stock', permission: 'stock.adjust' },
  { key: 'discounts', label: 'Discounts', href: '/admin/discounts', permission: 'discounts.manage' },
  { key: 'mail', label: 'Mail', href: '/admin/mail', permission: 'outbox.retry' },
  { key: 'notifications', label: 'Notifications', href: '/admin/notifications', permission: 'notifications.view' },
  { key: 'webhooks', label: 'Webhooks', href: '/admin/webhooks', permission: 'webhooks.manage' },
  { key: 'staff', label: 'Staff', href: '/admin/staff', permission: 'staff.manage' },
  { key: 'settings', label: 'Settings', href: '/admin/settings', permission: 'settings.edit' },
  { key: 'backups', label: 'Backups', href: '/admin/backups', permission: 'settings.edit' },
];

/** The sections a role may open, in menu order. */
export const navFor = (staff: StaffIdentity) => ADMIN_NAV.filter((item) => !item.permission || can(staff.role, item.permission));

export type AdminPageOptions = {
  title: string;
  /** Rendered <main> content (trusted HTML produced by our components). */
  main: string;
  /** The highlighted menu entry; 'account' highlights none. */
  active?: NavKey | 'account';
  status?: number;
};

const FLASH_COOKIE = 'admin_flash';
const COOKIE_PATH = '/admin';

/**
 * A notice shown once on the next back-office page, typically after a form post redirects
 * (post → redirect → get): `flash(reply, 'Password changed.'); return reply.redirect(...)`.
 */
export function flash(reply: FastifyReply, message: string, kind: 'ok' | 'error' = 'ok') {
  reply.setCookie(FLASH_COOKIE, `${kind}:${message.slice(0, 300)}`, { path: COOKIE_PATH, httpOnly: true, sameSite: 'strict', secure: reply.request.protocol === 'https' });
}

/** The session's CSRF token (for forms whose body is read later, e.g. multipart: add it as `?_csrf=` to the action). */
export const csrfToken = (req: FastifyRequest): string => req.staffSession?.csrfToken ?? '';

/** The hidden field every back-office form must carry. */
export const csrfField = (req: FastifyRequest): VNode => <input type="hidden" name="_csrf" value={csrfToken(req)} />;

/** Sends a full back-office page; without a signed-in member (sign-in page) there is no menu. */
export function sendAdminPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, page: AdminPageOptions) {
  const settings = ctx.settings();
  const staff = req.staffSession?.staff;
  const notice = readFlash(req, reply);
  const title = `${page.title} · ${settings.storeName} back office`;
  const head =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title>` +
    '<meta name="robots" content="noindex">' +
    `<link rel="stylesheet" href="${assetUrl('store.css')}">` +
    `<link rel="stylesheet" href="${assetUrl('admin.css')}">` +
    '</head>';
  const noticeHtml = notice ? render(<div class={`alert alert-${notice.kind}`} role="status">{notice.message}</div>) : '';
  const body = staff
    ? '<body class="admin">' +
      render(<TopBar storeName={settings.storeName} staff={staff} csrf={csrfField(req)} />) +
      '<div class="admin-shell">' +
      render(<Nav staff={staff} active={page.active} />) +
      `<main id="main" class="admin-main">${noticeHtml}${page.main}</main>` +
      '</div></body>'
    : '<body class="admin admin-signed-out">' +
      `<main id="main" class="admin-single"><p class="admin-single-brand">${escapeHtml(settings.storeName)} <span>back office</span></p>${noticeHtml}${page.main}</main>` +
      '</body>';
  return reply
    .code(page.status ?? 200)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(`${head}${body}</html>`);
}

function readFlash(req: FastifyRequest, reply: FastifyReply): { kind: 'ok' | 'error'; message: string } | undefined {
  const raw = req.cookies?.[FLASH_COOKIE];
  if (!raw) return undefined;
  reply.clearCookie(FLASH_COOKIE, { path: COOKIE_PATH });
  const [kind, ...rest] = raw.split(':');
  const message = rest.join(':');
  return message ? { kind: kind === 'error' ? 'error' : 'ok', message } : undefined;
}

function TopBar({ storeName, staff, csrf }: { storeName: string; staff: StaffIdentity; csrf: VNode }) {
  return (
    <header class="admin-top">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <a class="admin-brand" href="/admin">
        {storeName} <span>back office</span>
      </a>
      <div class="admin-user">
        <a href="/" class="admin-store-link">
          View store
        </a>
        <a href="/admin/account" class="admin-me" title="Your account">
          <span class="admin-me-name">{staff.name}</span> <span class="role-tag">{ROLES[staff.role].label}</span>
        </a>
        <form method="post" action="/admin/logout" class="inline-form">
          {csrf}
          <button type="submit" class="secondary small">
            Sign out
          </button>
        </form>
      </div>
    </header>
  );
}

function Nav({ staff, active }: { staff: StaffIdentity; active?: NavKey | 'account' }) {
  return (
    <nav class="admin-nav" aria-label="Back office">
      <ul>
        {navFor(staff).map((item) => (
          <li>
            <a href={item.href} aria-current={item.key === active ? 'page' : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
