import type { FastifyInstance } from 'fastify';
import type { ExtractedDocument, ExtractorLike } from '../../extract/types.js';
import { appScripts, renderAppPage } from '../../web/app-page.js';
import { PageColors } from '../../web/colors.js';
import { contentSecurityPolicy } from '../../web/csp.js';
import { renderDocumentsView } from '../../web/html.js';
import { DRAWINGS } from '../access.js';
import { clientGone } from '../disconnect.js';
import { HttpError } from '../errors.js';
import type { ResolvedServerOptions } from '../options.js';
import { postErrors, renderBodySchema, type RenderBody } from '../schemas.js';

/**
 * Most of each thing one POST /v1/render draws, all its documents together. The drawing is made on the
 * server thread, which serves nothing else meanwhile: at these limits one took 0.1–1.1 s on a busy 2-core
 * machine (100,000 characters of real text with 4,500 entities; 10,000 one-letter entities with 5,000
 * relations between random ones, a 12 MB answer; the same in one row of zero-width characters after a
 * Hebrew letter; 200 entities with 5,000 relations of 700-character types). The web page shows the JSON
 * of a longer text, with this 413 where the drawing would be.
 */
export const RENDER_LIMITS = { characters: 100_000, entities: 10_000, relations: 5_000 } as const;

/** A 413 `drawing_too_large` naming the first limit `documents` go over, if any (`maxDocuments`: the request's). */
function checkDrawingSize(documents: ExtractedDocument[], maxDocuments: number): void {
  const have = { documents: documents.length, characters: 0, entities: 0, relations: 0 };
  for (const d of documents) {
    have.characters += d.text.length;
    have.entities += d.entities.length;
    have.relations += d.relations.length;
  }
  const limits = { documents: maxDocuments, ...RENDER_LIMITS };
  for (const what of ['documents', 'characters', 'entities', 'relations'] as const) {
    if (have[what] > limits[what]) {
      const of = what === 'documents' ? '' : ` (${what === 'characters' ? 'text' : what} of all documents together)`;
      throw new HttpError(413, 'drawing_too_large', `${have[what]} ${what}${of}; /v1/render draws at most ${limits[what]} ${what} a request`);
    }
  }
}

/** Drawings that may wait for their turn (each holds its parsed body, up to tens of MB); beyond, 503 `overloaded`. */
const MAX_WAITING_DRAWINGS = 4;

/** The next turn of the event loop: queued from a setImmediate callback, it comes after the next poll for I/O. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs drawings one at a time, two turns of the event loop apart: a request that came in meanwhile and
 * needs the thread once (a /health check) is answered before the next drawing, instead of after all of
 * them. Two, since a request on a new connection takes two polls: one accepts the connection, the next
 * reads the request; a client that left meanwhile is heard in them too (its drawing is then dropped).
 * An extraction needs the thread again at the end of its batch window and for the model's answer, each
 * after another drawing: it waits for about three.
 */
class DrawingTurns {
  private last: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Draws when its turn comes, unless `signal` has aborted by then (its client has gone): then it throws the signal's reason. */
  run<T>(draw: () => T, signal: AbortSignal): Promise<T> {
    if (this.waiting >= MAX_WAITING_DRAWINGS) {
      throw new HttpError(503, 'overloaded', `${MAX_WAITING_DRAWINGS} drawings are waiting already; retry shortly`, { 'Retry-After': '1' });
    }
    this.waiting++;
    const turn = this.last
      .then(nextTurn)
      .then(nextTurn)
      .then(() => {
        this.waiting--;
        signal.throwIfAborted();
        return draw();
      });
    this.last = turn.catch(() => undefined);
    return turn;
  }
}

export function registerWebRoutes(app: FastifyInstance, extractor: ExtractorLike, opts: ResolvedServerOptions): void {
  // The page asks for an API key (and sends it) when the server requires one: it is told so here, in the
  // page itself, since every /v1 route it could ask is behind the key.
  const page = renderAppPage(extractor.info().name, { apiKey: opts.apiKeys.length > 0 });
  const csp = contentSecurityPolicy(appScripts);
  const turns = new DrawingTurns();
  // Each type in the colour `extract --format html` gives it: the model's types apart, in their order.
  const entityTypes = extractor.info().entityTypes;

  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('Content-Security-Policy', csp).send(page),
  );

  app.post<{ Body: RenderBody }>(
    '/v1/render',
    {
      // It takes back what /v1/extract answered, which is many times the size of the text sent there.
      bodyLimit: opts.renderBodyLimit,
      config: { rateLimit: { groupId: DRAWINGS } },
      schema: {
        tags: ['view'],
        summary: 'Draw documents as HTML (legend + one SVG per document)',
        operationId: 'render',
        description:
          'Takes the `documents` that /v1/extract returned and answers an HTML fragment (text/html): the ' +
          'renderer behind the web page and `entrel extract --format html`. All text is escaped. The drawing ' +
          'does not read `sentences` (send `[]` to keep the body small). Body at most ' +
          `${opts.renderBodyLimit} bytes; at most ${opts.maxTexts} documents and, all together, ` +
          `${RENDER_LIMITS.characters} characters of text, ${RENDER_LIMITS.entities} entities and ` +
          `${RENDER_LIMITS.relations} relations (413 \`drawing_too_large\` above).`,
        body: renderBodySchema,
        response: { 200: { description: 'HTML fragment', content: { 'text/html': { schema: { type: 'string' } } } }, ...postErrors },
      },
    },
    async (request, reply) => {
      checkDrawingSize(request.body.documents, opts.maxTexts);
      const draw = () => renderDocumentsView(request.body.documents, { width: request.body.width }, new PageColors(entityTypes));
      const html = await turns.run(draw, clientGone(reply));
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );
}
