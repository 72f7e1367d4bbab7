export { KafkaBus, type KafkaBusOptions } from './kafka-bus.js';
export { readDeadLetters, DEAD_LETTER_HEADERS, type ReadDeadLettersOptions } from './dead-letters.js';
