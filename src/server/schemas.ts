/**
 * JSON schemas of the routes: Fastify validates requests and serialises responses with them, and
 * @fastify/swagger turns them into the OpenAPI description. The TypeScript types beside them mirror them.
 */
import type { ExtractOptions, ExtractedDocument, GivenEntity, TextInput } from '../extract/types.js';
import { ERROR_CODES, errorCodesWithStatus, type ErrorCode } from './errors.js';
import { REQUEST_ID_HEADER } from './request-id.js';

const span = { type: 'integer', minimum: 0 } as const;

const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];

/** `code` (status): meaning, one line per code, for the descriptions below. */
function codeList(codes: ErrorCode[]): string {
  return codes.map((c) => `- \`${c}\` (${ERROR_CODES[c][0]}): ${ERROR_CODES[c][1]}`).join('\n');
}

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  description: 'Every error response has this shape.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          enum: errorCodes,
          description: `Stable machine-readable code (HTTP status in brackets):\n${codeList(errorCodes)}`,
        },
        message: { type: 'string', description: 'One-line explanation for a person.' },
      },
    },
  },
};

interface HeaderSchema {
  type: 'string' | 'integer';
  description: string;
}

const requestIdHeader: HeaderSchema = {
  type: 'string',
  description:
    'The request\'s `X-Request-Id` if it had one of 1–128 letters, digits and `-_.:/+=@`, else a new UUID; ' +
    'the `reqId` of the server\'s log lines about the request.',
};

/** An error response for the OpenAPI description: the Error body, the codes it can carry, its headers. */
function errorResponse(statuses: number[], summary: string, headers: Record<string, HeaderSchema> = {}) {
  return {
    description: `${summary}\n\n${codeList(errorCodesWithStatus(...statuses))}`,
    headers: { [REQUEST_ID_HEADER]: requestIdHeader, ...headers },
    content: { 'application/json': { schema: { $ref: 'Error#' } } },
  };
}

const retryAfter: HeaderSchema = { type: 'integer', description: 'Seconds to wait before retrying (with `overloaded`).' };

/** Answers any request can get, whatever its route: server fault, shutting down (and for /v1/extract overloaded, timeout). */
const anyRouteErrors = {
  500: errorResponse([500], 'Server fault.'),
  503: errorResponse([503], 'Service unavailable: retry later (`Retry-After`) or on another connection.', { 'Retry-After': retryAfter }),
  default: errorResponse([400, 408, 417, 421, 431], 'Malformed or incomplete HTTP, an unmet `Expect`, or a `Host` the server does not answer to (any route).'),
};

/** The error responses of a GET route, for the OpenAPI description. */
export const getErrors = anyRouteErrors;

/** `errorResponse` as OpenAPI itself has it, for `components` (which @fastify/swagger copies as they are). */
function openapiErrorResponse(...args: Parameters<typeof errorResponse>) {
  const { description, headers } = errorResponse(...args);
  return {
    description,
    headers: Object.fromEntries(Object.entries(headers).map(([name, { description: d, ...schema }]) => [name, { description: d, schema }])),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

/**
 * Errors that belong to no route, as reusable OpenAPI responses (`#/components/responses/…`): a path no
 * route has, and a known path asked with a method it does not take.
 */
export const errorResponses = {
  NotFound: openapiErrorResponse([404], 'No route has this path (any method).'),
  MethodNotAllowed: openapiErrorResponse([405], 'The path exists, but not with this method; `Allow` lists its methods.', {
    Allow: { type: 'string', description: 'The methods of the path, e.g. `POST` or `GET, HEAD`.' },
  }),
};

export const apiDescription =
  'Joint entity and relation extraction. All errors are `{"error": {"code", "message"}}` (schema `Error`, ' +
  'codes listed there). Besides the responses listed per operation, a path no route has is answered 404 ' +
  '`not_found` (`#/components/responses/NotFound`), and a known path asked with another method 405 ' +
  '`method_not_allowed` with `Allow` (`#/components/responses/MethodNotAllowed`). Every response carries ' +
  `\`${REQUEST_ID_HEADER}\`: the request's own if it sent a safe one, else a new UUID. Answers of 1 KiB or ` +
  'more are compressed (br or gzip) when `Accept-Encoding` allows it.';

/** The `bearerAuth` security scheme's description (only in a server with API keys). */
export const apiKeysDescription =
  'Every operation here but `GET /health` (and the web page `/` and `/openapi.json`) needs ' +
  '`Authorization: Bearer <key>` with a key the operator gave out; without one, or with a wrong one, the ' +
  'answer is 401 `unauthorized` with `WWW-Authenticate: Bearer`.';

export const documentSchema = {
  $id: 'Document',
  type: 'object',
  description:
    'Extraction result for one input text. Offsets (`start`, `end`, token and sentence spans) are ' +
    'UTF-16 code units into `text`, as JavaScript strings index: an emoji outside the BMP counts 2.',
  required: ['text', 'sentences', 'entities', 'relations'],
  properties: {
    text: { type: 'string' },
    sentences: {
      type: 'array',
      items: {
        type: 'object',
        required: ['start', 'end', 'tokens'],
        properties: {
          start: span,
          end: span,
          tokens: { type: 'array', items: { type: 'array', items: span, minItems: 2, maxItems: 2 } },
          cut: {
            type: 'boolean',
            enum: [true],
            description: 'Present only on a sentence the splitter cut at its 100 tokens: it goes on in the next one, and no relation is found across the cut.',
          },
        },
      },
    },
    entities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'text', 'type', 'start', 'end', 'sentence', 'tokenStart', 'tokenEnd', 'score'],
        properties: {
          id: { type: 'string', description: '`T1`, `T2`, … unique within the document.' },
          text: { type: 'string' },
          type: { type: 'string' },
          start: span,
          end: span,
          sentence: span,
          tokenStart: span,
          tokenEnd: span,
          score: { type: 'number' },
        },
      },
    },
    relations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'head', 'tail', 'score'],
        properties: {
          type: { type: 'string' },
          head: { type: 'string', description: 'Entity id of the first argument (Arg1).' },
          tail: { type: 'string', description: 'Entity id of the second argument (Arg2).' },
          score: { type: 'number' },
        },
      },
    },
  },
} as const;

export const modelInfoSchema = {
  type: 'object',
  required: ['name', 'version', 'entityTypes', 'relationTypes', 'tokenizer'],
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    tokenizer: {
      type: 'string',
      enum: ['ptb', 'conll04'],
      description: 'How the service tokenizes text for this model: the conventions of its training corpus.',
    },
    entityTypes: { type: 'array', items: { type: 'string' } },
    relationTypes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'symmetric'],
        properties: { name: { type: 'string' }, symmetric: { type: 'boolean' } },
      },
    },
    checksum: {
      type: 'string',
      pattern: '^[0-9a-f]{64}$',
      description:
        'SHA-256 of the model directory\'s `checksum` file, which lists the SHA-256 of every model file: the ' +
        'same model files give the same value wherever they are served. For an ensemble, the SHA-256 of its ' +
        'members\' checksums, one a line. Absent if the server was not told it.',
    },
    metrics: {
      description: 'Scores the model reached when trained, if recorded; file paths in it are reduced to their base name.',
    },
    trainedOn: { type: 'string' },
    members: {
      type: 'array',
      description: 'The models of an ensemble (`entrel serve --model A --model B …`), which vote on every answer.',
      items: {
        type: 'object',
        required: ['name', 'version'],
        properties: { name: { type: 'string' }, version: { type: 'string' }, checksum: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
      },
    },
  },
} as const;

export interface ExtractBody extends ExtractOptions {
  text?: string;
  /** With `text`: the entities already known in it (the model then finds the relations between them). */
  entities?: GivenEntity[];
  texts?: (string | TextInput)[];
}

/** Entities the caller knows; their offsets, types and overlaps are checked in the handler (extract/given-entities.ts). */
const givenEntitiesSchema = {
  type: 'array',
  description:
    'Entities already known in the text, as UTF-16 character spans with one of the model\'s entity types (and an optional id for the ' +
    'answer to use): the answer keeps exactly these, each scored with the tagger\'s probability of it, and the relations between them.',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['start', 'end', 'type'],
    properties: { start: { type: 'integer', minimum: 0 }, end: { type: 'integer', minimum: 1 }, type: { type: 'string' }, id: { type: 'string', minLength: 1 } },
  },
} as const;

/** Limits are checked in the handler, not here, so that they get their own codes and messages. */
export const extractBodySchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Give exactly one of `text` (with `entities`, if known) or `texts`.',
  properties: {
    text: { type: 'string', description: 'One text (any length up to the server limit, many sentences).' },
    entities: givenEntitiesSchema,
    texts: {
      type: 'array',
      description: 'Several texts, one document each: a string, or `{"text", "entities"}` for a text whose entities are known.',
      items: {
        anyOf: [
          { type: 'string' },
          { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string' }, entities: givenEntitiesSchema } },
        ],
      },
    },
    relationThreshold: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description: 'Drop relations whose probability is below this (default 0).',
    },
    allowedTriples: {
      type: 'array',
      description: 'Keep only relations whose [head type, relation, tail type] is listed.',
      items: { type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 3 },
    },
    maxPairDistance: {
      type: 'integer',
      minimum: 1,
      description: 'Consider only entity pairs at most this many tokens apart.',
    },
    newlines: {
      type: 'string',
      enum: ['paragraph', 'line', 'none'],
      description:
        'What a line break means to the sentence splitter: "paragraph" (default) a blank line ends a sentence and a single line break is a ' +
        'space (wrapped text); "line" every line break ends one (one sentence, headline or list item a line: no relation across lines); ' +
        '"none" line breaks are spaces.',
    },
  },
} as const;

export interface ExtractReply {
  documents: ExtractedDocument[];
}

export const extractReplySchema = {
  type: 'object',
  description: 'One document per input text, in input order (also for a single `text`).',
  required: ['documents'],
  properties: { documents: { type: 'array', items: { $ref: 'Document#' } } },
} as const;

export interface RenderBody {
  documents: ExtractedDocument[];
  width?: number;
}

export const renderBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['documents'],
  properties: {
    documents: { type: 'array', items: { $ref: 'Document#' } },
    width: { type: 'integer', minimum: 20, maximum: 400, description: 'Line width in characters.' },
  },
} as const;

/** What a protected route can also answer when the server requires API keys (`apiKeys`). */
export const authErrors = {
  401: errorResponse([401], 'No API key, or not a valid one: send `Authorization: Bearer <key>`.', {
    'WWW-Authenticate': {
      type: 'string',
      description: '`Bearer`, or `Bearer error="invalid_token"` when a key was sent but is not valid.',
    },
  }),
};

/** The same for Label Studio's routes, which also take the key as a Basic password. */
export const labelStudioAuthErrors = {
  401: errorResponse([401], 'No API key, or not a valid one: send `Authorization: Bearer <key>`, or Basic authentication with the key as the password.', {
    'WWW-Authenticate': {
      type: 'string',
      description: '`Basic realm="entrel"` when Basic credentials were sent, else as for the other routes (`Bearer`, `Bearer error="invalid_token"`).',
    },
  }),
};

const rateHeader = (description: string): HeaderSchema => ({ type: 'integer', description });

/** What a rate-limited route can also answer, when the server has a rate limit (`rateLimit`). */
export const rateLimitErrors = {
  429: errorResponse([429], 'Too many requests this minute from this API key (or, without keys, this client address).', {
    'Retry-After': rateHeader('Seconds until the window ends and requests are taken again.'),
    'X-RateLimit-Limit': rateHeader('Requests allowed a minute.'),
    'X-RateLimit-Remaining': rateHeader('Requests left in this window (0).'),
    'X-RateLimit-Reset': rateHeader('Seconds until the window ends.'),
  }),
};

/** The error responses a body-taking route can give, for the OpenAPI description. */
export const postErrors = {
  400: errorResponse([400], 'The request is invalid.'),
  413: errorResponse([413], 'The body or a text is larger than the limit.'),
  415: errorResponse([415], 'The body is not `application/json`, is compressed (`Content-Encoding`, answered with `Accept-Encoding: identity`), or declares a charset in which it would read otherwise than in UTF-8.'),
  ...anyRouteErrors,
};
