// Two requests for the same project at once on a fresh daemon (what a window does when it
// connects: the tree watches while the log channels subscribe) both see the real project.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulators, type Simulators } from '../../sim/server';
import { startInProcess, type InProcessDaemon, karsFolder } from './harness';

describe('concurrent watches of a project nobody watched yet', () => {
  let sims: Simulators;
  let d: InProcessDaemon;
  before(async () => {
    sims = await startSimulators();
    d = await startInProcess({
      ...sims.env,
      RAILWAY_API_TOKEN: sims.tokens.railway.account,
      RAILWAY_PROJECT_ID: sims.railway.state.projects[0]!.id,
    });
  });
  after(async () => {
    await d.stop();
    await sims.close();
  });

  it('a log stream asked for while the tree is still loading finds its environment', async () => {
    const client = await d.client();
    const folder = karsFolder(sims);
    const [watched, stream] = await Promise.all([
      client.request('environments.watch', { folder }),
      client.request('logs.subscribe', {
        folder,
        environment: 'kars-dev',
        service: 'kars-backend',
      }),
      client.request('environments.watch', { folder }),
    ]);
    assert.ok(watched.view.environments.length >= 2);
    assert.equal(stream.environment, 'kars-dev');
    assert.equal(stream.service, 'kars-backend');
  });
});
