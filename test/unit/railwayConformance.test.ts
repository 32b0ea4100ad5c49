// Checks the simulator's schema and every operation the daemon sends against Railway's real schema.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  getOperationAST,
  parse,
  validate,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { railwaySimSdl } from '../sim/railway/schema';
import { schemaDifferences } from '../sim/railway/conformance';
import { railwayOperations } from '../../daemon/railway/operations';
import { simOperations } from '../sim/railway/simOperations';

const repoRoot = path.resolve(__dirname, '..', '..');
const realSchemaFile = path.resolve(repoRoot, '..', 'shared', 'railway', 'schema.json');

function loadRealSchema(): GraphQLSchema | undefined {
  if (!fs.existsSync(realSchemaFile)) return undefined;
  const json = JSON.parse(fs.readFileSync(realSchemaFile, 'utf8')) as {
    data?: IntrospectionQuery;
  } & IntrospectionQuery;
  return buildClientSchema(json.data ?? json);
}

const real = loadRealSchema();
const simSchema = buildSchema(railwaySimSdl);

function realOrSkip(t: { skip(message: string): void }): GraphQLSchema | undefined {
  if (!real) {
    console.log(`skipping: ${realSchemaFile} is absent, so there is nothing to conform to`);
    t.skip(`${realSchemaFile} is absent`);
  }
  return real;
}

void describe('Railway simulator schema conformance', () => {
  void it('declares only types, fields, arguments and enum values the real schema has, typed alike', (t) => {
    const schema = realOrSkip(t);
    if (!schema) return;
    assert.deepEqual(schemaDifferences(simSchema, schema), []);
  });

  void it('detects a wrong field type, an invented field, a missing required argument and an invented enum value', (t) => {
    const schema = realOrSkip(t);
    if (!schema) return;
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
    const problems = schemaDifferences(wrong, schema);
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
    void it(`${name} is valid against the real schema`, (t) => {
      const schema = realOrSkip(t);
      if (!schema) return;
      assert.deepEqual(validate(schema, parse(source)).map(String), []);
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
    void it(`${name} is valid against the real schema`, (t) => {
      const schema = realOrSkip(t);
      if (!schema) return;
      assert.deepEqual(validate(schema, parse(source)).map(String), []);
    });

    void it(`${name} is valid against the simulator`, () => {
      assert.deepEqual(validate(simSchema, parse(source)).map(String), []);
      assert.equal(getOperationAST(parse(source))?.name?.value, name);
    });
  }
});
