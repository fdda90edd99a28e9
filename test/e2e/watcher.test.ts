import { describe, expect, it } from 'vitest';
import { BROWSER_ENDPOINTS, privacyViolations, type RequestRecord } from './harness/server';

const at = 0;

describe('the network watcher', () => {
  it('lets through only the named browser endpoints, not their whole domains', () => {
    const log: RequestRecord[] = [
      { via: 'proxy', host: 'accounts.google.com', method: 'CONNECT', at },
      { via: 'proxy', host: 'update.googleapis.com', method: 'POST', path: '/service/update2/json', at },
      { via: 'proxy', host: 'remote-settings.invalid', method: 'CONNECT', at },
      { via: 'proxy', host: 'www.google.com', method: 'CONNECT', at },
      { via: 'proxy', host: 'update.googleapis.com', method: 'POST', path: '/collect?u=1', at },
      { via: 'proxy', host: 'incoming.telemetry.mozilla.org', method: 'CONNECT', at },
    ];
    expect(privacyViolations(log).map((r) => `${r.host}${r.path ?? ''}`)).toEqual([
      'www.google.com',
      'update.googleapis.com/collect?u=1',
      'incoming.telemetry.mozilla.org',
    ]);
    expect(BROWSER_ENDPOINTS.every((e) => e.sender.length > 0)).toBe(true);
  });

  it('counts a fetch from the extension to a demo host, but not the test’s own navigation', () => {
    const log: RequestRecord[] = [
      { via: 'server', host: 'x.com', method: 'GET', path: '/home', mode: 'navigate', at },
      { via: 'server', host: 'x.com', method: 'GET', path: '/api', mode: 'cors', origin: 'chrome-extension://abc', at },
    ];
    expect(privacyViolations(log).map((r) => r.path)).toEqual(['/api']);
  });
});
