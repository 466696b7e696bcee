/**
 * JSON schemas of the routes: Fastify validates requests and serialises responses with them, and
 * @fastify/swagger turns them into the OpenAPI description. The TypeScript types beside them mirror them.
 */
import type { ExtractOptions, ExtractedDocument } from '../extract/types.js';

const span = { type: 'integer', minimum: 0 } as const;

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
        code: { type: 'string', description: 'Stable machine-readable code, e.g. `text_too_long`.' },
        message: { type: 'string', description: 'One-line explanation for a person.' },
      },
    },
  },
} as const;

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
  required: ['name', 'version', 'entityTypes', 'relationTypes'],
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    entityTypes: { type: 'array', items: { type: 'string' } },
    relationTypes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'symmetric'],
        properties: { name: { type: 'string' }, symmetric: { type: 'boolean' } },
      },
    },
    metrics: { description: 'Scores the model reached when trained, if recorded.' },
    trainedOn: { type: 'string' },
  },
} as const;

export interface ExtractBody extends ExtractOptions {
  text?: string;
  texts?: string[];
}

/** Limits are checked in the handler, not here, so that they get their own codes and messages. */
export const extractBodySchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Give exactly one of `text` or `texts`.',
  properties: {
    text: { type: 'string', description: 'One text (any length up to the server limit, many sentences).' },
    texts: { type: 'array', items: { type: 'string' }, description: 'Several texts, one document each.' },
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

const errorRef = { $ref: 'Error#' } as const;

/** The error responses a body-taking route can give, for the OpenAPI description. */
export const postErrors = { 400: errorRef, 413: errorRef, 415: errorRef, 500: errorRef } as const;
