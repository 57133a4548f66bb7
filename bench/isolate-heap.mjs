/**
 * Samples the JavaScript heap of a Worker isolate through its DevTools inspector
 * (`wrangler dev --inspector-port P` serves it at ws://127.0.0.1:P/ws): `Runtime.getHeapUsage`
 * every 500 ms. Locally every Durable Object of the Worker shares that one isolate, so its heap
 * is what all ingester objects hold together, plus garbage not yet collected.
 */
import WebSocket from 'ws';

/**
 * @param {string} url ws:// address of the isolate's inspector
 * @returns {Promise<{ peakUsedMB: () => number, lastUsedMB: () => number, stop: () => void }>}
 */
export async function sampleIsolateHeap(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let peak = 0;
  let last = 0;
  let id = 0;
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    const used = msg.result?.usedSize;
    if (typeof used !== 'number') return;
    last = used;
    if (used > peak) peak = used;
  });
  ws.on('error', () => {});
  const poll = () => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ id: ++id, method: 'Runtime.getHeapUsage' }));
  };
  poll();
  const timer = setInterval(poll, 500);
  return {
    peakUsedMB: () => peak / 1e6,
    lastUsedMB: () => last / 1e6,
    stop: () => {
      clearInterval(timer);
      ws.close();
    },
  };
}
