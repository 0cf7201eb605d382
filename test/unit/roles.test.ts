// The permission table, walked: every permission is held by someone, the owner holds all,
// and support and warehouse hold exactly what their jobs need.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PERMISSIONS, PERMISSION_NAMES, ROLE_NAMES, ROLES, can, isRole, permissionsOf, type Permission } from '../../src/domain/staff/roles.ts';

test('every permission names known roles, has a label, and is held by the owner', () => {
  for (const p of PERMISSION_NAMES) {
    const { roles, label } = PERMISSIONS[p];
    assert.ok(roles.length > 0, `${p} is held by someone`);
    for (const r of roles) assert.ok(isRole(r), `${p}: ${r} is a role`);
    assert.equal(new Set(roles).size, roles.length, `${p} lists each role once`);
    assert.ok(roles.includes('owner'), `the owner may ${label}`);
    assert.match(label, /^[a-z]/, `${p}: the label reads inside a sentence ("may ${label}")`);
  }
  assert.deepEqual(permissionsOf('owner'), PERMISSION_NAMES);
});

test('support: orders, edits, phone orders, cancellations, refunds, requests, returns, replies, notes, mail retries, discounts and reading the email texts — no stock, catalog, settings or staff', () => {
  const expected: Permission[] = ['orders.view', 'orders.process', 'orders.cancel', 'orders.edit', 'orders.phone', 'refunds.issue', 'requests.decide', 'returns.manage', 'support.reply', 'notes.write', 'discounts.manage', 'notifications.view', 'outbox.retry'];
  assert.deepEqual(permissionsOf('support').sort(), expected.sort());
});

test('warehouse: sees and processes orders and adjusts stock, nothing else', () => {
  assert.deepEqual(permissionsOf('warehouse').sort(), ['orders.process', 'orders.view', 'stock.adjust']);
  for (const p of ['settings.edit', 'refunds.issue', 'orders.cancel', 'staff.manage', 'catalog.edit'] as const) assert.equal(can('warehouse', p), false, p);
});

test('every role holds at least one permission and has a label and a description', () => {
  for (const r of ROLE_NAMES) {
    assert.ok(permissionsOf(r).length > 0, r);
    assert.ok(ROLES[r].label && ROLES[r].description, r);
  }
  assert.equal(isRole('toString'), false, 'inherited names are not roles');
  assert.equal(isRole('janitor'), false);
});
