/**
 * Option schemas built on first use. Building a zod object runs zod's constructors for every option (hundreds
 * across the registry): most of what importing `formulas/index.ts` cost, on every CLI start, although a run
 * parses the options of a handful of methods. `lazySchema(() => z.object({...}))` returns a stand-in that builds
 * the schema the first time anything reads it (a property, `in`, its keys, its prototype) and from then on
 * forwards every operation to it, so callers, `z.output<typeof schema>`, `z.extend(schema, ...)` and zod's own
 * `this`-based methods see the real schema. The stand-in is a stable identity: memos and registries keyed by the
 * schema object (parseOptions' cache, zod's global registry) key it consistently.
 * Only top-level declarations use it; a nested piece is built with its parent.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const real = (): T => (built ??= build());
  // a getter or setter reached through the stand-in runs on the real schema; one reached through an object that
  // inherits from the stand-in (Object.create) keeps that object as its receiver, as with any prototype
  const receiver = (r: unknown): unknown => (r === proxy ? real() : r);
  const proxy: T = new Proxy({} as T, {
    get: (_, key, r) => Reflect.get(real(), key, receiver(r)),
    set: (_, key, value, r) => Reflect.set(real(), key, value, receiver(r)),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    // reported configurable: the stand-in's own (empty) target cannot vouch for a non-configurable property
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d && { ...d, configurable: true };
    },
    defineProperty: (_, key, d) => Reflect.defineProperty(real(), key, { ...d, configurable: true }),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
  return proxy;
}
