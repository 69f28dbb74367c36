// Kills a code-server process group when the process that started it dies — even by SIGKILL, when no exit handler
// runs. The starter holds this process's stdin open: EOF means it is gone. Also watches extra pids (e.g. the `npm`
// above `npm start`), and exits quietly when the starter disarms it ("disarm" on stdin) or the group ends by itself.
// Usage: node watchdog.mjs <pgid> <dirToRemove|-> [pidToWatch…]
import { rmSync } from 'node:fs';

const [pgidArg, dir = '-', ...watched] = process.argv.slice(2);
const pgid = Number(pgidArg);
if (!Number.isInteger(pgid) || pgid <= 1) process.exit(2);

const alive = (pid, group = false) => {
  try { process.kill(group ? -pid : pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
};

let done = false;
const finish = (kill) => {
  if (done) return; done = true;
  if (!kill) process.exit(0);
  try { process.kill(-pgid, 'SIGTERM'); } catch { /* already gone */ }
  // Whatever ignores SIGTERM (a busy worker, a stuck extension host) gets SIGKILL; then the temp dirs go.
  setTimeout(() => {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
    if (dir !== '-') try { rmSync(dir, { recursive: true, force: true, maxRetries: 3 }); } catch { /* best effort */ }
    process.exit(0);
  }, 3000);
};

let input = '';
process.stdin.on('data', (b) => { input += b; if (input.includes('disarm')) finish(false); });
process.stdin.on('end', () => finish(true));
process.stdin.on('error', () => finish(true));
setInterval(() => {
  if (!alive(pgid, true)) finish(false); // the server stopped on its own: nothing to do
  else if (watched.some((p) => !alive(Number(p)))) finish(true);
}, 500);
