// Pictures named by URL in an import are fetched carefully: only from public addresses unless
// IMPORT_ALLOW_PRIVATE is on, redirects followed and checked, a size cap, a timeout, and the
// content checked to be a picture; each problem is a sentence the owner can act on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fetchPicture, fetchPictures } from '../src/domain/catalog-import/picture-fetch.ts';
import { startPictureServer, type PictureServer } from './helpers/picture-server.ts';

describe('fetching pictures named in an import', () => {
  let pics: PictureServer;
  before(async () => {
    pics = await startPictureServer();
  });
  after(() => pics.close());
  const allowed = { allowPrivate: true };

  it('a loopback or private address is refused unless allowed, without a request being made', async () => {
    const got = await fetchPicture(`${pics.url}/pic/a.png`, { allowPrivate: false });
    assert.ok('problem' in got);
    assert.match(got.problem, /127\.0\.0\.1, a loopback or private network address: pictures are fetched only from public addresses \(set IMPORT_ALLOW_PRIVATE=on/);
    assert.equal(pics.hits.get('/pic/a.png'), undefined);
    const viaName = await fetchPicture('http://files.shop.test/a.png', { allowPrivate: false, resolve: async () => ['10.0.0.7'] });
    assert.ok('problem' in viaName && /resolves to 10\.0\.0\.7/.test(viaName.problem));
  });

  it('a picture is fetched, a redirect followed, and each bad answer named', async () => {
    const ok = await fetchPicture(`${pics.url}/pic/a.png`, allowed);
    assert.ok('bytes' in ok && ok.bytes.length > 0);
    assert.ok('bytes' in (await fetchPicture(`${pics.url}/moved.png`, allowed)), 'a redirect to a picture is followed');
    const problem = async (url: string, opts = {}) => {
      const got = await fetchPicture(url, { ...allowed, ...opts });
      return 'problem' in got ? got.problem : 'fetched';
    };
    assert.equal(await problem(`${pics.url}/gone.png`), 'the server answered 404.');
    assert.equal(await problem(`${pics.url}/notes.txt`), 'it is not a JPEG, PNG, WebP, GIF or AVIF picture.');
    assert.equal(await problem(`${pics.url}/huge.png`), 'it is larger than 8 MB.');
    assert.equal(await problem(`${pics.url}/hang`, { timeoutMs: 200 }), 'the server did not answer in time.');
    assert.equal(await problem('ftp://example.com/a.png'), 'it is not an http(s) URL.');
  });

  it('each distinct URL is fetched once', async () => {
    const got = await fetchPictures([`${pics.url}/pic/b.png`, `${pics.url}/pic/b.png`, `${pics.url}/pic/c.png`], allowed);
    assert.equal(got.size, 2);
    assert.equal(pics.hits.get('/pic/b.png'), 1);
  });
});
