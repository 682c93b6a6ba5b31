import type { DeliveryContext } from '../context';
import type { Deliverer } from './dispatcher';

/** The deliverer of each outbox kind (see services/outbox-kinds.ts). */
export function createDeliverers(ctx: DeliveryContext): Record<string, Deliverer> {
  void ctx;
  return {};
}
