/** The engine worker's environment: huge pages on Linux, one libuv pool thread (bench figure 1r: faster decode and load). */
import assert from 'node:assert/strict';
import { engineWorkerEnv } from '../../../src/core/runtime/worker-env';

describe('the engine worker environment', () => {
  it('adds glibc.malloc.hugetlb=1 on Linux, after tunables the user already has, and one libuv pool thread', () => {
    const env = engineWorkerEnv({ PATH: '/bin' }, 'linux');
    assert.equal(env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1');
    assert.equal(env.UV_THREADPOOL_SIZE, '1');
    assert.equal(env.PATH, '/bin', 'the rest of the environment is kept');
    assert.equal(engineWorkerEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux').GLIBC_TUNABLES, 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
  });

  it('leaves the user\'s own glibc tunable, the PONDER_*=0 switches, and other platforms\' glibc alone', () => {
    assert.equal(engineWorkerEnv({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, 'linux').GLIBC_TUNABLES, 'glibc.malloc.hugetlb=0');
    assert.equal(engineWorkerEnv({ UV_THREADPOOL_SIZE: '8' }, 'linux').UV_THREADPOOL_SIZE, '1', 'a pool size inherited from the editor is not the worker\'s');
    assert.equal(engineWorkerEnv({ PONDER_HUGE_PAGES: '0' }, 'linux').GLIBC_TUNABLES, undefined);
    assert.equal(engineWorkerEnv({ PONDER_ONE_POOL_THREAD: '0' }, 'linux').UV_THREADPOOL_SIZE, undefined);
    assert.equal(engineWorkerEnv({}, 'darwin').GLIBC_TUNABLES, undefined);
    assert.equal(engineWorkerEnv({}, 'win32').UV_THREADPOOL_SIZE, '1', 'the pool effect is not glibc\'s');
  });
});
