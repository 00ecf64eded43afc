export { shouldNotify, type SyncOutcome } from './policy.js';
export { deliverNotification, sendNotification, type Delivery, type NotificationMessage } from './send.js';
export type { NotifyOn } from '../config/schema.js';
