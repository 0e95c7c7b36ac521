import { describe, expect, it } from '@jest/globals';
import { CAPABILITY_PORT_NAMES } from '../capabilities/capability-port-names.js';
import { CAPABILITY_PORTS } from './capability-ports.js';

describe('CAPABILITY_PORT_NAMES', () => {
  it('names the port class of every capability', () => {
    expect(CAPABILITY_PORT_NAMES).toEqual(
      Object.fromEntries(Object.entries(CAPABILITY_PORTS).map(([cap, port]) => [cap, port.name])),
    );
  });
});
