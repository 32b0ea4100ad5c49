// Checks the simulator's schema and every operation the daemon sends against Railway's real schema.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  getOperationAST,
  parse,
  printSchema,
  validate,
  type IntrospectionQuery,
} from 'graphql';
import { railwaySimSdl } from '../../sim/railway/schema';
import { schemaDifferences } from '../../sim/railway/conformance';
import { railwayOperations } from '../../daemon/railway/operations';
import { simOperations } from '../../sim/railway/simOperations';

const repoRoot = path.resolve(__dirname, '..', '..');
/** Railway's schema, copied into the repository so that no clone skips this test (see ORIGIN.md). */
const copyDir = path.join(repoRoot, 'test', 'fixtures', 'railway');
const copyFile = path.join(copyDir, 'schema.graphql');
/** Where the copy came from, when the team's shared reference sits beside the repository. */
const sharedDir = path.resolve(repoRoot, '..', 'shared', 'railway');

const copyText = fs.readFileSync(copyFile, 'utf8');
const real = buildSchema(copyText);
const simSchema = buildSchema(railwaySimSdl);

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

function sharedOrSkip(t: { skip(message: string): void }, file: string): string | undefined {
  const full = path.join(sharedDir, file);
  if (fs.existsSync(full)) return fs.readFileSync(full, 'utf8');
  t.skip(`${full} is absent; the copy is checked against its recorded sha256 instead`);
  return undefined;
}

void describe("the copy of Railway's schema", () => {
  void it('is the file ORIGIN.md describes, byte for byte', () => {
    const origin = fs.readFileSync(path.join(copyDir, 'ORIGIN.md'), 'utf8');
    const recorded = /sha256 of `schema\.graphql`: ([0-9a-f]{64})/.exec(origin)?.[1];
    assert.equal(sha256(copyText), recorded);
  });

  void it('equals ../shared/railway/schema.graphql when that is present', (t) => {
    const shared = sharedOrSkip(t, 'schema.graphql');
    if (shared !== undefined) assert.equal(sha256(copyText), sha256(shared));
  });

  void it('is ../shared/railway/schema.json (the CLI 5.43.1 introspection) printed as SDL, when present', (t) => {
    const json = sharedOrSkip(t, 'schema.json');
    if (json === undefined) return;
    const parsed = JSON.parse(json) as { data?: IntrospectionQuery } & IntrospectionQuery;
    assert.equal(
      printSchema(buildClientSchema(parsed.data ?? parsed)).trimEnd(),
      copyText.trimEnd(),
    );
  });
});

void describe('Railway simulator schema conformance', () => {
  void it('declares only types, fields, arguments and enum values the real schema has, typed alike', () => {
    assert.deepEqual(schemaDifferences(simSchema, real), []);
  });

  void it('detects a wrong field type, an invented field, a missing required argument and an invented enum value', () => {
    const wrong = buildSchema(/* GraphQL */ `
      type Query {
        me: User
        deployment: Deployment!
      }
      type User {
        id: ID!
        nickname: String
      }
      type Deployment {
        id: ID!
        status: String!
        serviceId: String!
      }
      enum DeploymentStatus {
        SUCCESS
        EXPLODED
      }
      type Spaceship {
        id: ID!
      }
      input DeploymentListInput {
        projectId: Int
      }
    `);
    const problems = schemaDifferences(wrong, real);
    assert.ok(
      problems.includes('field Query.me is User here but User! in the real schema'),
      problems.join('\n'),
    );
    assert.ok(problems.includes('field User.nickname does not exist in the real schema'));
    assert.ok(problems.includes('field Query.deployment lacks the required argument id'));
    assert.ok(
      problems.includes(
        'field Deployment.status is String! here but DeploymentStatus! in the real schema',
      ),
    );
    assert.ok(
      problems.includes('field Deployment.serviceId is String! here but String in the real schema'),
    );
    assert.ok(
      problems.includes('enum value DeploymentStatus.EXPLODED does not exist in the real schema'),
    );
    assert.ok(problems.includes('type Spaceship does not exist in the real schema'));
    assert.ok(
      problems.includes(
        'input field DeploymentListInput.projectId is Int here but String in the real schema',
      ),
    );
  });

  void it('has all 13 deployment statuses', () => {
    const values = simSchema.getType('DeploymentStatus');
    assert.ok(values && 'getValues' in values);
    assert.equal(values.getValues().length, 13);
  });
});

void describe('operations the daemon sends', () => {
  for (const [name, source] of Object.entries(railwayOperations)) {
    void it(`${name} is valid against the real schema`, () => {
      assert.deepEqual(validate(real, parse(source)).map(String), []);
    });

    void it(`${name} is valid against the simulator, so the simulator can answer it`, () => {
      assert.deepEqual(validate(simSchema, parse(source)).map(String), []);
    });
  }

  void it('names each document after its single operation', () => {
    for (const [name, source] of Object.entries(railwayOperations)) {
      assert.equal(getOperationAST(parse(source))?.name?.value, name);
    }
  });
});

void describe('operations the simulator tests send', () => {
  for (const [name, source] of Object.entries(simOperations)) {
    void it(`${name} is valid against the real schema`, () => {
      assert.deepEqual(validate(real, parse(source)).map(String), []);
    });

    void it(`${name} is valid against the simulator`, () => {
      assert.deepEqual(validate(simSchema, parse(source)).map(String), []);
      assert.equal(getOperationAST(parse(source))?.name?.value, name);
    });
  }
});
