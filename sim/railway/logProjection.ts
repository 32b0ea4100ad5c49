// A fast path for the simulator's log subscriptions: graphql-js would resolve each field of each of
// thousands of lines per event (the simulator's own bottleneck at ~60,000 lines/s), so plain
// selections (fields, aliases, named fragments) are projected directly; anything else falls back.
import {
  getArgumentValues,
  getOperationAST,
  Kind,
  OperationTypeNode,
  subscribe,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { logSubscriptionRoot } from './logResolvers';
import type { SimContext } from './views';

type Project = (value: unknown) => unknown;
type Fragments = Map<string, FragmentDefinitionNode>;
type LogField = keyof typeof logSubscriptionRoot;

/** graphql-ws's `subscribe`: log subscriptions by projection, every other operation by graphql-js. */
export function subscribeFast(
  args: ExecutionArgs,
): AsyncIterableIterator<ExecutionResult> | ReturnType<typeof subscribe> {
  return fastLogs(args) ?? subscribe(args);
}

function fastLogs(args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> | undefined {
  const op = getOperationAST(args.document, args.operationName);
  const root = op?.operation === OperationTypeNode.SUBSCRIPTION ? op.selectionSet.selections : [];
  const field = root.length === 1 && root[0]?.kind === Kind.FIELD ? root[0] : undefined;
  if (
    !field?.selectionSet ||
    field.directives?.length ||
    !(field.name.value in logSubscriptionRoot)
  )
    return undefined;
  const name = field.name.value as LogField;
  const def = args.schema.getSubscriptionType()?.getFields()[name];
  const fragments: Fragments = new Map();
  for (const d of args.document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const project = compile(field.selectionSet, fragments);
  if (!def || !project) return undefined;
  try {
    const values = getArgumentValues(def, field, args.variableValues ?? {});
    const resolve = logSubscriptionRoot[name] as (
      a: unknown,
      c: SimContext,
    ) => AsyncIterator<unknown>;
    const source = resolve(values, args.contextValue as SimContext);
    return mapIterator(source, (event) => {
      const list = (event as Record<string, unknown[]>)[name] ?? [];
      return { data: { [field.alias?.value ?? name]: list.map(project) } };
    });
  } catch {
    return undefined; // graphql-js answers with the error, as Railway would
  }
}

/** A projector for a selection set, or undefined when it holds anything but plain fields. */
function compile(set: SelectionSetNode, fragments: Fragments): Project | undefined {
  const fields: [string, string, Project | undefined][] = [];
  for (const s of set.selections) {
    if (s.directives?.length) return undefined;
    if (s.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(s.name.value);
      const inner = fragment && compile(fragment.selectionSet, fragments);
      if (!inner) return undefined;
      fields.push(['', '', inner]);
    } else if (s.kind === Kind.FIELD && s.name.value !== '__typename') {
      const nested = s.selectionSet ? compile(s.selectionSet, fragments) : undefined;
      if (s.selectionSet && !nested) return undefined;
      fields.push([s.alias?.value ?? s.name.value, s.name.value, nested]);
    } else return undefined;
  }
  return (value) => projectValue(value, fields);
}

function projectValue(value: unknown, fields: [string, string, Project | undefined][]): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => projectValue(v, fields));
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, name, nested] of fields) {
    if (!key) Object.assign(out, nested?.(value));
    else out[key] = nested ? nested(source[name]) : (source[name] ?? null);
  }
  return out;
}

function mapIterator<T, U>(source: AsyncIterator<T>, map: (t: T) => U): AsyncIterableIterator<U> {
  return {
    next: async () => {
      const r = await source.next();
      return r.done ? { value: undefined, done: true } : { value: map(r.value), done: false };
    },
    return: async () => {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
