// Pure checks of the browser host's requests, apart from host.ts so they are small and testable.

/** Whether an interface name is the loopback one (only this machine can connect). */
export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/**
 * Whether a request's Host header names this machine's loopback address. Without a token the host
 * answers loopback requests only; a page on another site that re-points its own name at 127.0.0.1
 * (DNS rebinding) still sends its own name here, so it is refused.
 */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  if (header === undefined || header === '') return false;
  // "[::1]:5817" keeps its brackets; "127.0.0.1:5817" and "localhost:5817" lose the port.
  const name = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.replace(/:\d+$/, '');
  return isLoopback(name.toLowerCase());
}
