/**
 * A stand-in analysis worker for tests: it answers each forwarded request only when the test lets
 * it, and until then holds its thread busy (blocked in Atomics.wait, not waiting on its event
 * loop). `workerData.gate` is an Int32Array over a SharedArrayBuffer: [0] counts requests begun,
 * [1] counts requests the test let finish. The answer repeats what was forwarded.
 */
import { workerData } from 'node:worker_threads';
import type { ForwardedRequest, ForwardedResponse } from '../../../../server/http/analysis-workers.ts';

const gate = (workerData as { gate: Int32Array }).gate;

export default function answerWhenLet(request: ForwardedRequest): ForwardedResponse {
  const turn = Atomics.add(gate, 0, 1);
  Atomics.notify(gate, 0);
  // Busy until the test lets this request finish.
  while (Atomics.load(gate, 1) <= turn) Atomics.wait(gate, 1, Atomics.load(gate, 1), 10_000);
  const cookie = request.headers.find(([name]) => name === 'cookie')?.[1] ?? '';
  const body = new TextEncoder().encode(
    JSON.stringify({
      method: request.method,
      url: request.url,
      signedIn: cookie.includes('fat_team='),
      body: request.body ? new TextDecoder().decode(request.body) : null,
    }),
  );
  return {
    status: 200,
    headers: [
      ['content-type', 'application/json'],
      ['set-cookie', 'first=1; Path=/'],
      ['set-cookie', 'second=2; Path=/'],
    ],
    body,
  };
}
