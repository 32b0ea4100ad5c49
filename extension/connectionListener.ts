// One listener on the current daemon connection. Attaching it to a new client removes the one on
// the previous client, so neither the handlers nor the closed client they hold pile up over
// reconnects. No `vscode` import: unit-tested under Node.

export class ConnectionListener<C> {
  private current: { client: C; stop: () => void } | undefined;

  /** Listens on `client` with `listen` (which returns its remover), unless it listens there already. */
  attach(client: C, listen: (client: C) => () => void): void {
    if (this.current?.client === client) return;
    this.stop();
    this.current = { client, stop: listen(client) };
  }

  /** Stops listening; safe to call twice. */
  dispose(): void {
    this.stop();
  }

  private stop(): void {
    const current = this.current;
    this.current = undefined;
    current?.stop();
  }
}
