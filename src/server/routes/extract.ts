import type { FastifyInstance } from 'fastify';
import type { ExtractOptions } from '../../extract/types.js';
import type { MicroBatcher } from '../batcher.js';
import { HttpError } from '../errors.js';
import type { ResolvedServerOptions } from '../options.js';
import { extractBodySchema, extractReplySchema, postErrors, type ExtractBody, type ExtractReply } from '../schemas.js';

export function registerExtractRoute(app: FastifyInstance, batcher: MicroBatcher, opts: ResolvedServerOptions): void {
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
          ' is answered 503 `timeout` and its extraction stopped.',
        body: extractBodySchema,
        response: { 200: extractReplySchema, ...postErrors },
      },
    },
    async (request) => {
      const { text, texts, ...options } = request.body;
      const inputs = checkInputs(text, texts, opts);
      const documents = await batcher.submit(inputs, options satisfies ExtractOptions);
      return { documents };
    },
  );
}

function checkInputs(text: string | undefined, texts: string[] | undefined, opts: ResolvedServerOptions): string[] {
  if ((text === undefined) === (texts === undefined)) {
    throw new HttpError(400, 'invalid_request', 'give exactly one of "text" (a string) or "texts" (an array of strings)');
  }
  const inputs = texts ?? [text as string];
  if (inputs.length > opts.maxTexts) {
    throw new HttpError(400, 'batch_too_large', `${inputs.length} texts in one request; the limit is ${opts.maxTexts}`);
  }
  inputs.forEach((t, i) => {
    if (t.length > opts.maxTextLength) {
      const which = texts ? `texts[${i}]` : 'text';
      throw new HttpError(413, 'text_too_long', `${which} has ${t.length} characters; the limit is ${opts.maxTextLength}`);
    }
  });
  return inputs;
}
