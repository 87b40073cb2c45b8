import { describe, expect, it } from 'vitest';
import { isPublishTopic, maySubscribe } from './topic-access.js';

const ann = { app: 'shop', user: '7' };

describe('maySubscribe', () => {
  it.each([
    'shop/user/7/#',
    'shop/user/7/tasks',
    'shop/user/7/+',
    'shop/broadcast/#',
    'shop/broadcast/news',
    'shop/broadcast/+',
  ])('lets user 7 of shop subscribe to %s', (filter) => {
    expect(maySubscribe(ann, filter)).toBe(true);
  });

  it.each([
    'shop/user/8/#',
    'shop/user/+/#',
    'shop/user/#',
    'shop/+/7/#',
    'shop/#',
    '#',
    '+/user/7/#',
    'other/user/7/#',
    'other/broadcast/#',
    'shop/user/7',
    'shop/broadcast',
    '$SYS/#',
    '$share/g/shop/user/7/#',
    'shop/user/77/#',
  ])('refuses %s to user 7 of shop', (filter) => {
    expect(maySubscribe(ann, filter)).toBe(false);
  });

  it('refuses everything to a subject that is not one topic level', () => {
    expect(maySubscribe({ app: 'shop', user: '+' }, 'shop/user/+/#')).toBe(false);
    expect(maySubscribe({ app: 'shop', user: 'a/b' }, 'shop/user/a/b/#')).toBe(false);
  });
});

describe('isPublishTopic', () => {
  it('takes plain topics and refuses wildcards, system topics and empty levels', () => {
    expect(isPublishTopic('shop/broadcast/news')).toBe(true);
    for (const bad of ['', 'shop/#', 'shop/+/x', '$SYS/x', 'shop//x', 'shop/x/'])
      expect(isPublishTopic(bad)).toBe(false);
  });
});
