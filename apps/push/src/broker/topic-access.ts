/** Who a connected client is: the app that issued its token and the token's subject. */
export interface ClientIdentity {
  app: string;
  user: string;
}

/** A separator, a wildcard, or NUL (MQTT forbids it in topics). */
const UNSAFE_LEVEL = /[/+#]|\0/;

/** Whether a value can be one topic level: not empty, no separator, no wildcard. */
export const isTopicLevel = (value: string): boolean =>
  value.length > 0 && value.length <= 191 && !UNSAFE_LEVEL.test(value);

export const userTopic = (app: string, user: string, channel: string): string =>
  `${app}/user/${user}/${channel}`;

export const broadcastTopic = (app: string, channel: string): string => `${app}/broadcast/${channel}`;

/**
 * The subscriptions a client may make: filters inside `{app}/user/{its id}/` or `{app}/broadcast/`
 * of its own app. The prefix must be written literally (a wildcard there would reach other
 * users' topics); wildcards below it are fine (`{app}/user/7/#`, `{app}/broadcast/+`).
 */
export const maySubscribe = (who: ClientIdentity, filter: string): boolean => {
  const levels = filter.split('/');
  if (levels[0] !== who.app) return false;
  if (levels[1] === 'broadcast') return levels.length >= 3;
  return levels[1] === 'user' && levels[2] === who.user && levels.length >= 4 && isTopicLevel(who.user);
};

/** A topic the service itself may publish to: no wildcard, not a `$` system topic. */
export const isPublishTopic = (topic: string): boolean =>
  topic.length > 0 &&
  Buffer.byteLength(topic) <= 1024 &&
  !topic.startsWith('$') &&
  !/[+#]|\0/.test(topic) &&
  !topic.split('/').some((level) => level === '');
