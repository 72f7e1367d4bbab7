export { activeTraceparent, contextOf, spanContextOf, traceparentOf } from './trace-context.js';
export { withProcessSpan, withPublishSpan, type MessagingTarget, type TracedEvent } from './messaging-spans.js';
export { flushTraces } from './flush-traces.js';
