// GitHub's refusals of a push, as a proc-receive hook (git receive-pack hands the hook the ref
// updates and lets it answer each with `ok` or `ng <reason>`, so the reason reaches the client in the
// ref's status line exactly where GitHub puts it, and what the hook prints on stderr reaches it as
// `remote:` lines). Two rules: workflow changes from a token without the `workflow` scope, and
// direct pushes to a protected branch, which the git server judges (it asks GitHub's rules) when
// the hook posts each such update to RAILYARD_SIM_GUARD_URL.
'use strict';
const { execFileSync } = require('node:child_process');

const ZERO = /^0+$/;
const WORKFLOWS = '.github/workflows/';
const who =
  process.env.RAILYARD_SIM_TOKEN_KIND === 'oauth' ? 'an OAuth App' : 'a Personal Access Token';
const workflowGuard = process.env.RAILYARD_SIM_WORKFLOW_GUARD === '1';
const guardUrl = process.env.RAILYARD_SIM_GUARD_URL;
const protectedRefs = new Set(
  (process.env.RAILYARD_SIM_PROTECTED || '')
    .split('\n')
    .filter((name) => name !== '')
    .map((name) => `refs/heads/${name}`),
);

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

/** The git server's verdict on a direct push to a protected branch: the lines to print, or null. */
async function protectionRefusal(oldSha, newSha, ref) {
  const res = await fetch(guardUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      branch: ref.slice('refs/heads/'.length),
      before: oldSha,
      after: newSha,
    }),
  });
  if (!res.ok) throw new Error(`the git server answered ${res.status} for ${ref}`);
  const { refusal } = await res.json();
  return refusal;
}

/** Applies one update (compare-and-swap on the old value, as receive-pack does) or refuses it. */
async function decide(command) {
  const [oldSha = '', newSha = '', ref = ''] = command.split(' ');
  const files = !workflowGuard || ZERO.test(newSha) ? [] : workflowFiles(oldSha, newSha);
  if (files.length > 0) {
    return `ng ${ref} refusing to allow ${who} to create or update workflow \`${files[0]}\` without \`workflow\` scope`;
  }
  const refusal = protectedRefs.has(ref) ? await protectionRefusal(oldSha, newSha, ref) : null;
  if (refusal) {
    // receive-pack relays the hook's stderr on the sideband: git prints each line after `remote: `.
    process.stderr.write(refusal.map((line) => `${line}\n`).join(''));
    return `ng ${ref} protected branch hook declined`;
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
  const answers = [];
  for (const command of commands) answers.push(pkt(await decide(command)));
  process.stdout.write(Buffer.concat([...answers, Buffer.from('0000')]));
}

main().catch((error) => {
  process.stderr.write(`receive guard hook failed: ${String(error)}\n`);
  process.exit(1);
});
