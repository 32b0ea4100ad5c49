// Inside the extension host: the extension's project view reaches the simulated kars project.
import * as assert from 'node:assert/strict';
import type { ProjectView } from '../../../protocol/protocol';
import { railyardApi, waitForView } from './railyard';

const hasKars = (view: ProjectView): boolean => {
  const names = view.environments.map((e) => e.name);
  return view.state === 'ready' && names.includes('kars-dev') && names.includes('kars-prod');
};

export function defineEnvironmentsTests(): void {
  describe('project view', () => {
    it('reaches "ready" with kars-dev and kars-prod, via onDidChangeProjectView', async () => {
      const view = await waitForView(await railyardApi(), hasKars, 45_000);
      assert.equal(view.project?.name, 'kars');
      assert.equal(view.link?.source, 'env', 'the project should come from RAILWAY_PROJECT_ID');
      const env = (name: string) => view.environments.find((e) => e.name === name);
      assert.equal(env('kars-prod')?.protected, true, 'kars-prod is not protected');
      assert.equal(env('kars-dev')?.protected, false, 'kars-dev is protected');
      assert.equal(env('kars-dev')?.branch, 'kars-dev');
      const services = env('kars-dev')?.services.map((s) => s.name) ?? [];
      assert.deepEqual([...services].sort(), ['Postgres', 'kars-backend', 'kars-frontend']);
      assert.ok(
        view.environments.some((e) => e.isEphemeral && e.pr?.number === 42),
        'no PR environment for #42',
      );
    });
  });
}
