// isPidAlive: live processes yes, exited ones no, and zombies no (a killed daemon whose parent is
// gone may stay a zombie in a container; its pid must not pass for a running daemon).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { isPidAlive } from '../../protocol/discovery';

describe('isPidAlive', () => {
  it('is true for this process and false for a pid that has gone', async () => {
    assert.equal(isPidAlive(process.pid), true);
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(isPidAlive(child.pid!), false);
  });

  it(
    'is false for a zombie',
    { skip: process.platform !== 'linux' && 'zombies are read from /proc' },
    async () => {
      // The shell starts a child, prints its pid, and becomes a `sleep` that never reaps it.
      const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      try {
        const pid = Number(
          await new Promise<string>((resolve) =>
            parent.stdout.once('data', (d: Buffer) => resolve(String(d))),
          ),
        );
        await untilZombie(pid);
        assert.equal(isPidAlive(pid), false);
      } finally {
        parent.kill('SIGKILL');
      }
    },
  );
});

/** Resolves once the kernel lists the pid as a zombie; the child exits at once, so this is brief. */
async function untilZombie(pid: number): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`pid ${pid} never became a zombie`);
}
