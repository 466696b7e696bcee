import type { FastifyInstance } from 'fastify';
import type { ExtractorLike } from '../../extract/types.js';
import { appScripts, renderAppPage } from '../../web/app-page.js';
import { contentSecurityPolicy } from '../../web/csp.js';
import { renderDocumentsView } from '../../web/html.js';
import type { ResolvedServerOptions } from '../options.js';
import { postErrors, renderBodySchema, type RenderBody } from '../schemas.js';

export function registerWebRoutes(app: FastifyInstance, extractor: ExtractorLike, opts: ResolvedServerOptions): void {
  // The page asks for an API key (and sends it) when the server requires one: it is told so here, in the
  // page itself, since every /v1 route it could ask is behind the key.
  const page = renderAppPage(extractor.info().name, { apiKey: opts.apiKeys.length > 0 });
  const csp = contentSecurityPolicy(appScripts);

  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('Content-Security-Policy', csp).send(page),
  );

  app.post<{ Body: RenderBody }>(
    '/v1/render',
    {
      // It takes back what /v1/extract answered, which is many times the size of the text sent there.
      bodyLimit: opts.renderBodyLimit,
      schema: {
        tags: ['view'],
        summary: 'Draw documents as HTML (legend + one SVG per document)',
        operationId: 'render',
        description:
          'Takes the `documents` that /v1/extract returned and answers an HTML fragment (text/html): the ' +
          'renderer behind the web page and `entrel extract --format html`. All text is escaped. Body at most ' +
          `${opts.renderBodyLimit} bytes.`,
        body: renderBodySchema,
        response: { 200: { description: 'HTML fragment', content: { 'text/html': { schema: { type: 'string' } } } }, ...postErrors },
      },
    },
    async (request, reply) =>
      reply.type('text/html; charset=utf-8').send(renderDocumentsView(request.body.documents, { width: request.body.width })),
  );
}
