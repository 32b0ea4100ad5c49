// Where `railyard promote` writes and asks: progress on stdout, or on stderr under --json so that
// stdout holds exactly one JSON object; questions on stderr, answers from a terminal only.
import * as readline from 'node:readline';
import type { TeamPromotion } from '../protocol/protocol';
import type { PromoteJson } from './promoteOutput';

export interface PromoteIo {
  /** Progress and results for a person. */
  say(...lines: string[]): void;
  /** Errors and warnings: always stderr. */
  warn(line: string): void;
  /** The one JSON object, under --json; nothing otherwise. */
  json(value: PromoteJson | { promotions: PromoteJson[]; team: TeamPromotion[] }): void;
  /** Standard input is a terminal, so a question can be answered. */
  readonly interactive: boolean;
  /** One line typed in answer; Ctrl-C or end of input answers "". */
  ask(question: string): Promise<string>;
}

export function processIo(json: boolean): PromoteIo {
  const progress = json ? process.stderr : process.stdout;
  return {
    say: (...lines) => lines.forEach((l) => progress.write(l + '\n')),
    warn: (line) => process.stderr.write(`railyard: ${line}\n`),
    json: (value) => {
      if (json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
    },
    interactive: process.stdin.isTTY === true,
    ask: askOnTerminal,
  };
}

function askOnTerminal(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    let answered = false;
    const end = (answer: string) => {
      if (answered) return;
      answered = true;
      rl.close();
      resolve(answer.trim());
    };
    // Ctrl-C at a question is a no: nothing has changed yet, and the caller says so.
    rl.on('SIGINT', () => end(''));
    rl.on('close', () => end(''));
    rl.question(question, end);
  });
}
