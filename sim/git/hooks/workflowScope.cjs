// GitHub's refusal of workflow changes, as a proc-receive hook (git receive-pack hands the hook the
// ref updates and lets it answer each with `ok` or `ng <reason>`, so the reason reaches the client
// in the ref's status line exactly where GitHub puts it). Run only for tokens lacking the scope.
'use strict';
const { execFileSync } = require('node:child_process');

const ZERO = /^0+$/;
const WORKFLOWS = '.github/workflows/';
const who =
  process.env.RAILYARD_SIM_TOKEN_KIND === 'oauth' ? 'an OAuth App' : 'a Personal Access Token';

function pkt(line) {
  const body = Buffer.from(`${line}\n`, 'utf8');
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body]);
}

/** pkt-lines from stdin, null for a flush packet. */
async function* packets(stream) {
  let buf = Buffer.alloc(0);
  for await (const chunk of stream) {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 4) {
      const len = parseInt(buf.subarray(0, 4).toString('ascii'), 16);
      if (len === 0) {
        buf = buf.subarray(4);
        yield null;
        continue;
      }
      if (buf.length < len) break;
      yield buf.subarray(4, len).toString('utf8').replace(/\n$/, '');
      buf = buf.subarray(len);
    }
  }
}

async function untilFlush(iterator) {
  const lines = [];
  for (;;) {
    const { value, done } = await iterator.next();
    if (done || value === null) return lines;
    lines.push(value);
  }
}

function git(args) {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Workflow files the update changes: the ref's old tree against its new one, as GitHub judges a
 * merge that brings workflow changes other branches already had; for a new branch, its new commits. */
function workflowFiles(oldSha, newSha) {
  const out = ZERO.test(oldSha)
    ? git(['log', '--format=', '--name-only', newSha, '--not', '--branches', '--', WORKFLOWS])
    : git(['diff', '--name-only', oldSha, newSha, '--', WORKFLOWS]);
  return out.split('\n').filter((line) => line !== '');
}

/** Applies one update (compare-and-swap on the old value, as receive-pack does) or refuses it. */
function decide(command) {
  const [oldSha = '', newSha = '', ref = ''] = command.split(' ');
  const files = ZERO.test(newSha) ? [] : workflowFiles(oldSha, newSha);
  if (files.length > 0) {
    return `ng ${ref} refusing to allow ${who} to create or update workflow \`${files[0]}\` without \`workflow\` scope`;
  }
  try {
    if (ZERO.test(newSha)) git(['update-ref', '-d', ref, oldSha]);
    else git(['update-ref', ref, newSha, oldSha]);
    return `ok ${ref}`;
  } catch {
    return `ng ${ref} failed to update ref`;
  }
}

async function main() {
  const iterator = packets(process.stdin)[Symbol.asyncIterator]();
  await untilFlush(iterator); // version=1 and the server's features; we ask for none
  process.stdout.write(Buffer.concat([pkt('version=1'), Buffer.from('0000')]));
  const commands = await untilFlush(iterator);
  const answers = commands.map((command) => pkt(decide(command)));
  process.stdout.write(Buffer.concat([...answers, Buffer.from('0000')]));
}

main().catch((error) => {
  process.stderr.write(`workflow scope hook failed: ${String(error)}\n`);
  process.exit(1);
});
