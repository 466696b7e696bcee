import type { FastifyInstance } from 'fastify';
import { readExtractInput } from '../../extract/given-entities.js';
import type { ExtractInput, ExtractOptions, GivenEntity, ModelInfo } from '../../extract/types.js';
import type { MicroBatcher } from '../batcher.js';
import { clientGone } from '../disconnect.js';
import { HttpError } from '../errors.js';
import type { ResolvedServerOptions } from '../options.js';
import { extractReplyJson } from '../reply-json.js';
import { extractBodySchema, extractReplySchema, postErrors, type ExtractBody, type ExtractReply } from '../schemas.js';

/** The Content-Type Fastify gives a JSON answer it serializes itself. */
const JSON_TYPE = 'application/json; charset=utf-8';

/** `model`: what the extractor reads (its entity and relation types), to check given entities before they are queued. */
export function registerExtractRoute(app: FastifyInstance, batcher: MicroBatcher, opts: ResolvedServerOptions, model: ModelInfo): void {
  app.post<{ Body: ExtractBody; Reply: ExtractReply }>(
    '/v1/extract',
    {
      schema: {
        tags: ['extraction'],
        summary: 'Extract entities and relations from one or many texts',
        operationId: 'extract',
        description:
          `Send \`{"text": "…"}\` or \`{"texts": ["…", …]}\` (at most ${opts.maxTexts} texts of at most ` +
          `${opts.maxTextLength} UTF-16 code units each; body at most ${opts.bodyLimit} bytes). The answer is ` +
          'always `{"documents": [...]}`, one document per text in input order. Concurrent requests are ' +
          'batched into model calls; when too much is queued the server answers 503 `overloaded` with ' +
          'Retry-After, and a request not done within ' +
          (opts.extractTimeout > 0 ? `${opts.extractTimeout / 1000} s` : 'the time limit (none set)') +
          ' is answered 503 `timeout` and its extraction stopped (as is that of a client that closes the connection before its answer).',
        body: extractBodySchema,
        response: { 200: extractReplySchema, ...postErrors },
      },
    },
    async (request, reply) => {
      const { text, entities, texts, ...options } = request.body;
      const inputs = checkInputs(text, entities, texts, opts, model);
      const signal = clientGone(reply);
      const documents = await batcher.submit(inputs, options satisfies ExtractOptions, { signal });
      // The schema's serializer would hold the server thread for all of a large answer at once, and three to
      // five times as long (reply-json.ts); it still writes the documents whose bytes this would not reproduce.
      const json = await extractReplyJson(documents, signal);
      if (json === undefined) return { documents };
      return reply.type(JSON_TYPE).send(json as never);
    },
  );
}

/**
 * The request's inputs, each checked here, given entities included (a 400 naming the field): a bad one
 * must fail its own request, not the batch it would join.
 */
function checkInputs(text: string | undefined, entities: GivenEntity[] | undefined, texts: ExtractInput[] | undefined, opts: ResolvedServerOptions, model: ModelInfo): ExtractInput[] {
  if ((text === undefined) === (texts === undefined)) {
    throw new HttpError(400, 'invalid_request', 'give exactly one of "text" (a string) or "texts" (an array of strings or {text, entities} objects)');
  }
  if (entities !== undefined && texts !== undefined) throw new HttpError(400, 'invalid_request', '"entities" goes with "text"; with "texts", give each text as {"text", "entities"}');
  const inputs: ExtractInput[] = texts ?? [entities === undefined ? (text as string) : { text: text as string, entities }];
  if (inputs.length > opts.maxTexts) {
    throw new HttpError(400, 'batch_too_large', `${inputs.length} texts in one request; the limit is ${opts.maxTexts}`);
  }
  const schema = { entityTypes: model.entityTypes, relationTypes: model.relationTypes };
  inputs.forEach((input, i) => {
    const t = typeof input === 'string' ? input : input.text;
    const which = texts ? `texts[${i}]` : 'text';
    if (t.length > opts.maxTextLength) throw new HttpError(413, 'text_too_long', `${which} has ${t.length} characters; the limit is ${opts.maxTextLength}`);
    if (typeof input !== 'string') readExtractInput(input, schema, texts ? which : '');
  });
  return inputs;
}
