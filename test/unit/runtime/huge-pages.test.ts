/** The engine worker asks glibc for transparent huge pages on Linux (bench figure 1r/7: faster decode and load). */
import assert from 'node:assert/strict';
import { withHugePages } from '../../../src/core/runtime/huge-pages';

describe('huge pages for the engine worker', () => {
  it('adds glibc.malloc.hugetlb=1 on Linux, after tunables the user already has', () => {
    assert.equal(withHugePages({ PATH: '/bin' }, 'linux').GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1');
    assert.equal(withHugePages({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux').GLIBC_TUNABLES, 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
    assert.equal(withHugePages({ PATH: '/bin' }, 'linux').PATH, '/bin', 'the rest of the environment is kept');
  });

  it('leaves a user\'s own hugetlb choice, PONDER_HUGE_PAGES=0, and other platforms alone', () => {
    const own = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' };
    assert.equal(withHugePages(own, 'linux'), own);
    const none: Record<string, string | undefined> = {};
    assert.equal(withHugePages({ ...none, PONDER_HUGE_PAGES: '0' }, 'linux').GLIBC_TUNABLES, undefined);
    assert.equal(withHugePages(none, 'darwin').GLIBC_TUNABLES, undefined);
    assert.equal(withHugePages(none, 'win32').GLIBC_TUNABLES, undefined);
  });
});
