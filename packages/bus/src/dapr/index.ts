export { DaprBus, type DaprBusOptions } from './dapr-bus.js';
export {
  daprSubscriptionRoutes,
  daprEventRoute,
  type DaprDeliveryHandler,
  type DaprSubscriptionManifest,
  type DaprDeliveryStatus,
} from './dapr-routes.js';
export { normalizeDelivery, type NormalizedDelivery } from './normalize-delivery.js';
