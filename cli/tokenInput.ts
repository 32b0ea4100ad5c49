// Reads a token the way a secret should be read: from piped standard input, or typed at the
// terminal with echo off. Never from argv, which other users see in the process list.
import { CliError } from './output';

/** All of piped standard input, trimmed; one line only, so a pasted file is not sent as a token. */
export async function readPipedToken(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text.includes('\n'))
    throw new CliError('Standard input held more than one line: pipe in only the token.', 2);
  return text;
}

const ENTER = new Set(['\r', '\n', '\u0004']);
const ERASE = new Set(['\u007f', '\b']);

/** Asks on stderr (stdout stays for --json) and reads one line with echo off; Ctrl-C cancels. */
export function promptHidden(
  question: string,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  // Echo off before the question, so nothing typed once it shows is echoed.
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value.trim());
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\u0003') return finish(new CliError('Cancelled.', 130));
        if (ENTER.has(ch)) return finish();
        if (ERASE.has(ch)) value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
