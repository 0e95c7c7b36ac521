// Jest test environment of both projects: Node's, except that what the code under test writes
// straight to process.stdout / process.stderr (Nest's ConsoleLogger and TestingLogger do, which
// bypasses Jest's console) is held per test. A test that passes drops it; a test or hook that
// fails gets it printed with its file's console output, after the failure. So `npm test` shows
// the expected error logs of negative tests only when something is wrong, and a real failure
// keeps all its diagnostics. console.* is untouched: Jest reports it as usual.
import { TestEnvironment } from 'jest-environment-node';

/** Enough for any one test's logs; older lines are dropped first. */
const MAX_HELD_CHARS = 1_000_000;

export default class QuietDirectWritesEnvironment extends TestEnvironment {
  /** @type {string[]} */
  #held = [];
  #heldChars = 0;

  constructor(config, context) {
    super(config, context);
    const proc = this.global.process;
    for (const name of ['stdout', 'stderr']) {
      const stream = proc[name];
      const hold = (chunk, encoding, callback) => {
        this.#hold(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        const done = typeof encoding === 'function' ? encoding : callback;
        if (typeof done === 'function') process.nextTick(done);
        return true;
      };
      // The test's own `process` gets a stream whose write holds; everything else (isTTY,
      // columns, fd, events) is the real stream's.
      const held = new Proxy(stream, {
        get: (target, property) => {
          if (property === 'write') return hold;
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      Object.defineProperty(proc, name, { configurable: true, enumerable: true, get: () => held });
    }
  }

  #hold(text) {
    this.#held.push(text);
    this.#heldChars += text.length;
    while (this.#heldChars > MAX_HELD_CHARS && this.#held.length > 1) {
      this.#heldChars -= this.#held.shift().length;
    }
  }

  /** Prints what was held (for a failure) through the file's console, then forgets it. */
  #release(label) {
    const text = this.#held.join('');
    this.#held = [];
    this.#heldChars = 0;
    if (text.trim() === '') return;
    this.global.console.log(`Output written to process.stdout/stderr during ${label}:\n${text}`);
  }

  async handleTestEvent(event) {
    switch (event.name) {
      case 'test_done':
        if (event.test.errors.length > 0) this.#release(`"${fullName(event.test)}" (failed)`);
        else this.#discard();
        break;
      case 'hook_failure':
        this.#release(`a failed ${event.hook.type} hook`);
        break;
      case 'run_finish':
        this.#discard();
        break;
    }
  }

  #discard() {
    this.#held = [];
    this.#heldChars = 0;
  }
}

function fullName(test) {
  const names = [];
  for (let block = test; block && block.name !== 'ROOT_DESCRIBE_BLOCK'; block = block.parent) {
    names.unshift(block.name);
  }
  return names.join(' › ');
}
