import type { FastifyInstance } from 'fastify';
import type { ExtractorLike } from '../../extract/types.js';
import { modelInfoSchema } from '../schemas.js';

export function registerMetaRoutes(app: FastifyInstance, extractor: ExtractorLike): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['service'],
        summary: 'Liveness check',
        response: {
          200: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
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
        summary: 'The loaded model: labels, version and the metrics it was trained to',
        response: { 200: modelInfoSchema },
      },
    },
    async () => extractor.info(),
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
