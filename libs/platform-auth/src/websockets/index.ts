/**
 * @nest-platform/auth/ws — authenticated WebSocket handshakes for `@nestjs/platform-ws`.
 * A separate entry so that HTTP-only applications never load `ws`.
 */
export { PlatformWsAdapter, type PlatformWsAdapterOptions } from './platform-ws.adapter.js';
