import { createTestDatabase } from '@taskstream/testing';
import { describeOutboxRelay } from './contract/outbox-relay-suite.js';

// PGlite: one connection, so relays take turns; the infrastructure tier runs the same suite, and
// the order of several relays claiming at once, on PostgreSQL (outbox-relay.infra.test.ts).
describeOutboxRelay('PGlite', () => createTestDatabase());
