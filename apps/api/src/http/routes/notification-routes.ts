import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isUuid, type Db } from '@taskstream/db';
import { NotificationView } from '@taskstream/events';
import {
  deletePushSubscription,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  NotificationPage,
  NotificationQuery,
  PushSubscriptionInput,
  savePushSubscription,
  type PushSubscriptionRules,
  snoozeNotification,
  SnoozeInput,
  unreadCount,
} from '@taskstream/notifications';
import { actorOf } from '../authenticate.js';
import { HttpProblem, problem } from '../problem.js';
import { problemResponses } from './problem-schema.js';

const IdParams = z.object({ id: z.string().max(100) });
const tags = ['notifications'];

const notFound = (id: string) => new HttpProblem(problem(404, 'notification_not_found', `No notification with id ${id}.`));

export const notificationRoutes: FastifyPluginAsyncZod<{ db: Db; now: () => Date; vapidPublicKey: string; pushSubscriptions: PushSubscriptionRules }> = async (app, { db, now, vapidPublicKey, pushSubscriptions }) => {
  app.get('/api/notifications', { schema: { tags, summary: 'Your notifications, newest first, with the unread count', querystring: NotificationQuery, response: { 200: NotificationPage, ...problemResponses } } }, async (req) => {
    const page = await listNotifications(db, actorOf(req).userId, req.query);
    if (page === 'invalid_cursor') throw new HttpProblem(problem(400, 'invalid_cursor', 'The cursor is not one this endpoint returned.', [{ path: 'cursor', message: 'not a cursor from nextCursor' }]));
    return page;
  });
  app.get('/api/notifications/unread-count', { schema: { tags, summary: 'How many unread notifications you have', response: { 200: z.object({ unreadCount: z.number().int() }) } } }, async (req) => ({
    unreadCount: await unreadCount(db, actorOf(req).userId),
  }));
  app.post('/api/notifications/:id/read', { schema: { tags, summary: 'Mark a notification read', params: IdParams, response: { 200: NotificationView, ...problemResponses } } }, async (req) => {
    const view = isUuid(req.params.id) ? await markNotificationRead(db, actorOf(req).userId, req.params.id, now()) : null;
    if (!view) throw notFound(req.params.id);
    return view;
  });
  app.post('/api/notifications/read-all', { schema: { tags, summary: 'Mark every notification read', response: { 200: z.object({ updated: z.number().int() }) } } }, async (req) => ({
    updated: await markAllNotificationsRead(db, actorOf(req).userId, now()),
  }));
  app.post('/api/notifications/:id/snooze', { schema: { tags, summary: 'Hide a notification and remind again in N minutes', params: IdParams, body: SnoozeInput, response: { 200: NotificationView, ...problemResponses } } }, async (req) => {
    const view = isUuid(req.params.id) ? await snoozeNotification(db, actorOf(req).userId, req.params.id, req.body, now()) : null;
    if (!view) throw notFound(req.params.id);
    return view;
  });
  app.get('/api/notifications/push/public-key', { schema: { tags, summary: "The server's VAPID public key, for PushManager.subscribe", response: { 200: z.object({ publicKey: z.string() }) } } }, async () => ({
    publicKey: vapidPublicKey,
  }));
  const subscribeSchema = {
    tags,
    summary: "Subscribe this browser to Web Push (the browser's PushSubscription JSON)",
    description: 'The endpoint must be https on a public address (loopback, private, link-local and metadata addresses answer 422); each user keeps a limited number of browsers, a new one replacing the oldest.',
    body: PushSubscriptionInput,
    response: { 201: z.null(), ...problemResponses },
  };
  app.post('/api/notifications/push/subscriptions', { schema: subscribeSchema }, async (req, reply) => {
    await savePushSubscription(db, actorOf(req).userId, req.body, pushSubscriptions);
    return reply.status(201).send(null);
  });
  app.delete('/api/notifications/push/subscriptions', { schema: { tags, summary: 'Unsubscribe a browser from Web Push', body: z.strictObject({ endpoint: z.string().max(2000) }), response: { 204: z.null(), ...problemResponses } } }, async (req, reply) => {
    if (!(await deletePushSubscription(db, actorOf(req).userId, req.body.endpoint))) throw new HttpProblem(problem(404, 'subscription_not_found', 'This browser is not subscribed.'));
    return reply.status(204).send(null);
  });
};
