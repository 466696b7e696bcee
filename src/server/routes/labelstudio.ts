/**
 * Label Studio's ML backend protocol, under `/labelstudio`: connect a Label Studio project to
 * `http://HOST:PORT/labelstudio` (Model → Connect model) and it pre-annotates tasks with entrel's entities and
 * relations, scored, as the annotator opens them or in batch ("Retrieve predictions").
 * - `GET /labelstudio/health` (and `/labelstudio/`): `{status: "UP"}`, Label Studio's connection check;
 * - `POST /labelstudio/setup`: `{model_version}`, after checking the project's labelling config (`schema`)
 *   has `<Labels>` on a `<Text>`;
 * - `POST /labelstudio/predict`: `{tasks: [{data}], label_config?}` → `{results: [prediction per task]}`,
 *   each `{model_version, score, result}` for the config's own `<Text>`/`<Labels>` names and types
 *   (extract/annotation-tools.ts), the texts extracted in the same micro-batches as /v1/extract;
 * - `POST /labelstudio/webhook`: annotation events, acknowledged (entrel trains from exports, not from events).
 * With API keys, Label Studio sends one as the password of its Basic authentication (access.ts).
 */
import type { FastifyInstance } from 'fastify';
import { DEFAULT_TARGET, labelStudioPrediction, readLabelConfig, type LabelStudioTarget } from '../../extract/annotation-tools.js';
import type { ModelInfo } from '../../extract/types.js';
import type { MicroBatcher } from '../batcher.js';
import { HttpError } from '../errors.js';
import type { ResolvedServerOptions } from '../options.js';
import { getErrors, postErrors } from '../schemas.js';

export const LABEL_STUDIO_PREFIX = '/labelstudio';

/** Label Studio sends more than entrel reads (project, params, …): those are let through. */
const predictBody = {
  type: 'object',
  required: ['tasks'],
  additionalProperties: true,
  properties: {
    tasks: { type: 'array', items: { type: 'object', required: ['data'], additionalProperties: true, properties: { data: { type: 'object', additionalProperties: true } } } },
    label_config: { type: 'string' },
  },
} as const;

interface PredictBody {
  tasks: { id?: unknown; data: Record<string, unknown> }[];
  label_config?: string;
}

const open = { type: 'object', additionalProperties: true } as const;

/** The config's target, or a 400 saying what the project lacks. */
function targetOf(config: string | undefined, where: string): LabelStudioTarget {
  if (config === undefined || config.trim() === '') return DEFAULT_TARGET;
  const target = readLabelConfig(config);
  if (!target) throw new HttpError(400, 'invalid_input', `${where}: the labelling config has no <Labels> on a <Text>: entrel pre-annotates entities (and relations) in text`);
  return target;
}

/** The task's text: the config's `<Text value="$field">`, else `text`, else its one string field. */
function textOf(data: Record<string, unknown>, target: LabelStudioTarget, i: number): string {
  const field = target.field ?? 'text';
  if (typeof data[field] === 'string') return data[field];
  const strings = Object.keys(data).filter((k) => typeof data[k] === 'string');
  if (data[field] === undefined && strings.length === 1) return data[strings[0]] as string;
  throw new HttpError(400, 'invalid_input', `tasks[${i}].data.${field}: expected the task's text (a string)${data[field] === undefined ? `, and data has ${strings.length ? `several string fields (${strings.join(', ')})` : 'no string field'} to take instead` : ''}`);
}

export function registerLabelStudioRoutes(app: FastifyInstance, batcher: MicroBatcher, opts: ResolvedServerOptions, model: ModelInfo): void {
  const modelVersion = `${model.name} ${model.version}`;
  const tags = ['Label Studio'];
  const health = async () => ({ status: 'UP', model_class: 'entrel', model_version: modelVersion });
  app.get(`${LABEL_STUDIO_PREFIX}/health`, { schema: { tags, summary: "Label Studio's connection check", operationId: 'labelStudioHealth', response: { 200: open, ...getErrors } } }, health);
  app.get(`${LABEL_STUDIO_PREFIX}/`, { schema: { hide: true } }, health); // the same check at the backend's own URL
  app.get(`${LABEL_STUDIO_PREFIX}/metrics`, { schema: { tags, summary: 'Label Studio ML backend metrics (none)', operationId: 'labelStudioMetrics', response: { 200: open, ...getErrors } } }, async () => ({}));

  app.post<{ Body: { schema?: unknown } }>(
    `${LABEL_STUDIO_PREFIX}/setup`,
    { schema: { tags, summary: "Label Studio's model setup: checks the project's labelling config", operationId: 'labelStudioSetup', body: { ...open, properties: { schema: { type: 'string' } } }, response: { 200: open, ...postErrors } } },
    async (request) => {
      targetOf(request.body.schema as string | undefined, 'schema');
      return { model_version: modelVersion };
    },
  );

  app.post<{ Body: PredictBody }>(
    `${LABEL_STUDIO_PREFIX}/predict`,
    {
      schema: {
        tags,
        summary: "Label Studio's pre-annotation: entities and relations of each task's text",
        operationId: 'labelStudioPredict',
        description: `At most ${opts.maxTexts} tasks of at most ${opts.maxTextLength} UTF-16 code units each.`,
        body: predictBody,
        response: { 200: open, ...postErrors },
      },
    },
    async (request) => {
      const { tasks, label_config: config } = request.body;
      const target = targetOf(config, 'label_config');
      if (tasks.length > opts.maxTexts) throw new HttpError(400, 'batch_too_large', `${tasks.length} tasks in one request; the limit is ${opts.maxTexts}`);
      const texts = tasks.map((t, i) => {
        const text = textOf(t.data, target, i);
        if (text.length > opts.maxTextLength) throw new HttpError(413, 'text_too_long', `tasks[${i}] has ${text.length} characters; the limit is ${opts.maxTextLength}`);
        return text;
      });
      const documents = await batcher.submit(texts, {});
      return { results: documents.map((doc) => labelStudioPrediction(doc, modelVersion, target)), model_version: modelVersion };
    },
  );

  app.post(
    `${LABEL_STUDIO_PREFIX}/webhook`,
    { schema: { tags, summary: 'Label Studio annotation events: acknowledged, not trained on', operationId: 'labelStudioWebhook', body: open, response: { 200: open, ...postErrors } } },
    async () => ({ status: 'Unknown event', message: 'entrel trains from exports (entrel train), not from Label Studio events' }),
  );
}
