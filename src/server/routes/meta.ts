import type { FastifyInstance } from 'fastify';
import type { ExtractorLike, ModelInfo } from '../../extract/types.js';
import { getErrors, modelInfoSchema } from '../schemas.js';

/** What GET /v1/model answers: the model's info, its checksum if known. */
interface ServedModelInfo extends ModelInfo {
  checksum?: string;
}

export function registerMetaRoutes(app: FastifyInstance, extractor: ExtractorLike): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['service'],
        summary: 'Liveness check',
        operationId: 'getHealth',
        response: {
          200: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
          ...getErrors,
        },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/v1/model',
    {
      schema: {
        tags: ['service'],
        summary: 'The loaded model: labels, version, checksum and the metrics it was trained to',
        operationId: 'getModel',
        response: { 200: modelInfoSchema, ...getErrors },
      },
    },
    async (): Promise<ServedModelInfo> => {
      const info = extractor.info();
      return { ...info, metrics: withoutPaths(info.metrics) };
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

/**
 * `value` with every string that looks like a file path (a `/` or `\` and no white space) reduced to its
 * base name: the metrics name the data they were measured on by its path on the training machine, which
 * is no business of the service's clients.
 */
function withoutPaths<T>(value: T): T;
function withoutPaths(value: unknown): unknown {
  if (typeof value === 'string') return /[\\/]/.test(value) && !/\s/.test(value) ? (value.split(/[\\/]+/).filter(Boolean).pop() ?? '') : value;
  if (Array.isArray(value)) return value.map(withoutPaths);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutPaths(v)]));
  }
  return value;
}
