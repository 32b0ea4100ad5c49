// Compares a schema (the simulator's) with Railway's real one, so the simulator can never drift into inventing API.
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** Every way `subset` says something that `real` does not; empty means conformant. */
export function schemaDifferences(subset: GraphQLSchema, real: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const type of Object.values(subset.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const other = real.getType(type.name);
    if (!other) problems.push(`type ${type.name} does not exist in the real schema`);
    else problems.push(...typeDifferences(type, other));
  }
  problems.push(...rootDifferences(subset, real));
  return problems;
}

function rootDifferences(subset: GraphQLSchema, real: GraphQLSchema): string[] {
  const pairs = [
    ['query', subset.getQueryType(), real.getQueryType()],
    ['mutation', subset.getMutationType(), real.getMutationType()],
    ['subscription', subset.getSubscriptionType(), real.getSubscriptionType()],
  ] as const;
  return pairs
    .filter(([, mine, theirs]) => mine && mine.name !== theirs?.name)
    .map(([root, mine]) => `${root} root ${mine?.name ?? ''} is not the real ${root} root`);
}

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'object';
  if (isInterfaceType(type)) return 'interface';
  if (isInputObjectType(type)) return 'input';
  if (isEnumType(type)) return 'enum';
  if (isUnionType(type)) return 'union';
  if (isScalarType(type)) return 'scalar';
  return 'unknown';
}

function typeDifferences(mine: GraphQLNamedType, theirs: GraphQLNamedType): string[] {
  if (kindOf(mine) !== kindOf(theirs)) {
    return [`${mine.name} is a ${kindOf(mine)} here but a ${kindOf(theirs)} in the real schema`];
  }
  if (
    (isObjectType(mine) || isInterfaceType(mine)) &&
    (isObjectType(theirs) || isInterfaceType(theirs))
  ) {
    const realInterfaces = new Set(theirs.getInterfaces().map((i) => i.name));
    const extra = mine.getInterfaces().filter((i) => !realInterfaces.has(i.name));
    const fields = Object.values(mine.getFields()).flatMap((f) =>
      fieldDifferences(mine.name, f, theirs.getFields()[f.name]),
    );
    return [
      ...extra.map((i) => `${mine.name} does not implement ${i.name} in the real schema`),
      ...fields,
    ];
  }
  if (isInputObjectType(mine) && isInputObjectType(theirs)) {
    const mineFields = mine.getFields();
    const missing = Object.values(theirs.getFields())
      .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined && !mineFields[f.name])
      .map((f) => `input ${mine.name} lacks the required field ${f.name}`);
    const fields = Object.values(mineFields).flatMap((f) =>
      inputFieldDifferences(mine.name, f, theirs.getFields()[f.name]),
    );
    return [...missing, ...fields];
  }
  if (isEnumType(mine) && isEnumType(theirs)) {
    const real = new Set(theirs.getValues().map((v) => v.name));
    return mine
      .getValues()
      .filter((v) => !real.has(v.name))
      .map((v) => `enum value ${mine.name}.${v.name} does not exist in the real schema`);
  }
  if (isUnionType(mine) && isUnionType(theirs)) {
    const real = new Set(theirs.getTypes().map((t) => t.name));
    return mine
      .getTypes()
      .filter((t) => !real.has(t.name))
      .map((t) => `union ${mine.name} has no member ${t.name} in the real schema`);
  }
  return [];
}

function fieldDifferences(
  owner: string,
  mine: GraphQLField<unknown, unknown>,
  theirs: GraphQLField<unknown, unknown> | undefined,
): string[] {
  const at = `${owner}.${mine.name}`;
  if (!theirs) return [`field ${at} does not exist in the real schema`];
  const problems: string[] = [];
  if (String(mine.type) !== String(theirs.type)) {
    problems.push(
      `field ${at} is ${String(mine.type)} here but ${String(theirs.type)} in the real schema`,
    );
  }
  for (const arg of mine.args) {
    problems.push(
      ...argumentDifferences(
        at,
        arg,
        theirs.args.find((a) => a.name === arg.name),
      ),
    );
  }
  // A required real argument the subset lacks would let an operation pass here and fail upstream.
  for (const arg of theirs.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (required && !mine.args.some((a) => a.name === arg.name)) {
      problems.push(`field ${at} lacks the required argument ${arg.name}`);
    }
  }
  return problems;
}

function argumentDifferences(
  at: string,
  mine: GraphQLArgument,
  theirs: GraphQLArgument | undefined,
): string[] {
  if (!theirs) return [`argument ${at}(${mine.name}) does not exist in the real schema`];
  if (String(mine.type) === String(theirs.type)) return [];
  return [
    `argument ${at}(${mine.name}) is ${String(mine.type)} here but ${String(theirs.type)} in the real schema`,
  ];
}

function inputFieldDifferences(
  owner: string,
  mine: GraphQLInputField,
  theirs: GraphQLInputField | undefined,
): string[] {
  const at = `${owner}.${mine.name}`;
  if (!theirs) return [`input field ${at} does not exist in the real schema`];
  if (String(mine.type) === String(theirs.type)) return [];
  return [
    `input field ${at} is ${String(mine.type)} here but ${String(theirs.type)} in the real schema`,
  ];
}
