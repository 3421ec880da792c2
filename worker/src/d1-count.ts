/**
 * A D1 binding that counts its calls (each `first`, `all`, `run`, `raw`, `batch` or `exec` is one round
 * trip to the database), for benchmarks and tests that must show what a request costs D1, counted
 * rather than assumed. The Worker uses it only when BENCH_COUNT_D1 is "on" (see index.ts).
 */
export interface D1Counter {
  calls: number;
}

/** A prepared statement that counts each run; binding it gives another counted statement. */
class CountedStatement {
  constructor(
    readonly real: D1PreparedStatement,
    private readonly counter: D1Counter,
  ) {}
  bind(...values: unknown[]) {
    return new CountedStatement(this.real.bind(...values), this.counter);
  }
  first(column?: string) {
    this.counter.calls++;
    return column === undefined ? this.real.first() : this.real.first(column);
  }
  all() {
    this.counter.calls++;
    return this.real.all();
  }
  run() {
    this.counter.calls++;
    return this.real.run();
  }
  raw(options?: { columnNames?: boolean }) {
    this.counter.calls++;
    return this.real.raw(options as { columnNames: true });
  }
}

const real = (s: D1PreparedStatement) => (s instanceof CountedStatement ? s.real : s);

/** `db`, counting every call into `counter`. */
export function countingD1(db: D1Database, counter: D1Counter): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => new CountedStatement(target.prepare(sql), counter) as unknown as D1PreparedStatement;
      if (prop === 'batch') {
        return (stmts: D1PreparedStatement[]) => {
          counter.calls++;
          return target.batch(stmts.map(real));
        };
      }
      if (prop === 'exec') {
        return (sql: string) => {
          counter.calls++;
          return target.exec(sql);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
