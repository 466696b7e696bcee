export { buildServer } from './app.js';
export { replaceApiKeys } from './access.js';
export { startServer, type ListenOptions, type RunningServer } from './start.js';
export { defaultServerOptions, type ServerOptions } from './options.js';
export type { ErrorBody, ErrorCode } from './errors.js';
export type { ExtractBody, ExtractReply } from './schemas.js';
