import { describe, expect, it } from 'vitest';
import { SogomsError } from '@sogoms/common';
import { parseControlRequest } from './control-protocol.js';

const rejection = (line: string): { code: string; message: string } => {
  try {
    parseControlRequest(line);
  } catch (error) {
    if (error instanceof SogomsError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`${line} was accepted`);
};

describe('parseControlRequest', () => {
  it('accepts the four commands and drops unknown fields', () => {
    expect(parseControlRequest('{"cmd":"status","extra":1}')).toEqual({ cmd: 'status' });
    expect(parseControlRequest('{"cmd":"reload"}')).toEqual({ cmd: 'reload' });
    expect(parseControlRequest('{"cmd":"stop"}')).toEqual({ cmd: 'stop' });
    expect(parseControlRequest('{"cmd":"restart","service":"db"}')).toEqual({
      cmd: 'restart',
      service: 'db',
    });
  });

  it('rejects malformed requests with BAD_REQUEST', () => {
    expect(rejection('status')).toEqual({ code: 'BAD_REQUEST', message: 'request is not JSON' });
    expect(rejection('[1]').code).toBe('BAD_REQUEST');
    expect(rejection('{"cmd":"restart"}')).toEqual({
      code: 'BAD_REQUEST',
      message: 'restart needs "service": the name of a service',
    });
    expect(rejection('{"cmd":"shutdown"}').message).toBe(
      'unknown cmd; expected one of status, restart, reload, stop, metrics',
    );
  });

  it('accepts a metrics report in prom-client JSON form and refuses anything else', () => {
    const metrics = [{ name: 'x_total', help: 'x', type: 'counter', values: [{ value: 1, labels: {} }] }];
    expect(parseControlRequest(JSON.stringify({ cmd: 'metrics', service: 'db', pid: 7, metrics }))).toEqual({
      cmd: 'metrics',
      service: 'db',
      pid: 7,
      metrics,
    });
    const expected = 'metrics needs "service", "pid" and "metrics" (prom-client\'s getMetricsAsJSON form)';
    expect(rejection('{"cmd":"metrics","service":"db","pid":7}').message).toBe(expected);
    expect(
      rejection(
        JSON.stringify({
          cmd: 'metrics',
          service: 'db',
          pid: 7,
          metrics: [{ name: 'x', type: 'x', values: [] }],
        }),
      ).message,
    ).toBe(expected);
  });
});
