// Password hashing: the stored format, verification, and refusal of anything malformed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../../src/domain/staff/passwords.ts';

test('hashes with scrypt N=2^15 r=8 p=1, salted, and verifies only the right password', async () => {
  const a = await hashPassword('correct horse battery');
  const b = await hashPassword('correct horse battery');
  assert.match(a, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, b, 'a fresh salt every time');
  assert.equal(await verifyPassword('correct horse battery', a), true);
  assert.equal(await verifyPassword('correct horse batterY', a), false);
  assert.equal(await verifyPassword('', a), false);
});

test('refuses malformed or tampered hashes without throwing', async () => {
  const good = await hashPassword('correct horse battery');
  const [scheme, , r, p, salt, hash] = good.split('$');
  const hugeCost = [scheme, 2 ** 30, r, p, salt, hash].join('$');
  const shortHash = [scheme, 2 ** 15, r, p, salt, 'AAAA'].join('$');
  for (const bad of ['', 'plain', 'bcrypt$x', hugeCost, shortHash, good.split('$').slice(0, 5).join('$')]) {
    assert.equal(await verifyPassword('correct horse battery', bad), false, bad);
  }
});

test('new passwords need 10 to 200 characters; generated ones are 16 easy-to-read characters', () => {
  assert.match(passwordProblem('short') ?? '', /at least 10/);
  assert.equal(passwordProblem('ten chars!'), undefined);
  assert.match(passwordProblem('x'.repeat(201)) ?? '', /at most 200/);
  const generated = generatePassword();
  assert.match(generated, /^[a-km-zA-HJ-NP-Z2-9]{16}$/);
  assert.notEqual(generatePassword(), generated);
});
