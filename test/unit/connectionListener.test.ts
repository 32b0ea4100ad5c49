// The listener on the daemon connection: one per client, the previous client's removed when a new
// one connects, every one removed on dispose.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { ConnectionListener } from '../../extension/connectionListener';

/** A client's notifications as RpcClient.onNotification keeps them: an emitter per client. */
class Client extends EventEmitter {
  onChanged(listener: () => void): () => void {
    this.on('changed', listener);
    return () => this.off('changed', listener);
  }
}

describe('the listener on the daemon connection', () => {
  it('listens once on a client however often it connects', () => {
    const listener = new ConnectionListener<Client>();
    const client = new Client();
    let heard = 0;
    listener.attach(client, (c) => c.onChanged(() => heard++));
    listener.attach(client, (c) => c.onChanged(() => heard++));
    client.emit('changed');
    assert.equal(heard, 1);
  });

  it('removes the previous client’s listener when another connects', () => {
    const listener = new ConnectionListener<Client>();
    const [first, second] = [new Client(), new Client()];
    for (const c of [first, second, new Client(), second])
      listener.attach(c, (client) => client.onChanged(() => undefined));
    assert.equal(first.listenerCount('changed'), 0);
    assert.equal(second.listenerCount('changed'), 1);
  });

  it('removes its listener on dispose, and disposing twice is harmless', () => {
    const listener = new ConnectionListener<Client>();
    const client = new Client();
    listener.attach(client, (c) => c.onChanged(() => undefined));
    listener.dispose();
    listener.dispose();
    assert.equal(client.listenerCount('changed'), 0);
  });
});
