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
import { labelStudioPrediction } from '../../extract/annotation-tools.js';
import { DEFAULT_TARGET, MAX_LABEL_CONFIG_LENGTH, projectLabel, readLabelConfig, type LabelStudioTarget } from '../../extract/label-config.js';
import { taskText } from '../../data/formats/labelstudio.js';
import { fromCodePoints } from '../../data/formats/spans.js';
import type { ExtractedDocument, ExtractInput, GivenEntity, ModelInfo } from '../../extract/types.js';
import type { MicroBatcher } from '../batcher.js';
import { clientGone } from '../disconnect.js';
import { HttpError } from '../errors.js';
import type { ResolvedServerOptions } from '../options.js';
import { getErrors, postErrors } from '../schemas.js';

export const LABEL_STUDIO_PREFIX = '/labelstudio';

/** Label Studio's connection checks (exempt from the rate limit, as /health is). */
export const LABEL_STUDIO_HEALTH: ReadonlySet<string> = new Set([`${LABEL_STUDIO_PREFIX}/health`, `${LABEL_STUDIO_PREFIX}/`]);

/** A project's labelling config (its XML), bounded: Label Studio's are a few KB. */
const labelConfigSchema = {
  type: 'string',
  maxLength: MAX_LABEL_CONFIG_LENGTH,
  description: `The project's labelling config (XML), at most ${MAX_LABEL_CONFIG_LENGTH} characters.`,
} as const;

/** Label Studio sends more than entrel reads (project, params, …): those are let through. */
const predictBody = {
  type: 'object',
  required: ['tasks'],
  additionalProperties: true,
  properties: {
    tasks: { type: 'array', items: { type: 'object', required: ['data'], additionalProperties: true, properties: { data: { type: 'object', additionalProperties: true } } } },
    label_config: labelConfigSchema,
  },
} as const;

interface PredictBody {
  tasks: { id?: unknown; data: Record<string, unknown> }[];
  label_config?: string;
  /** Interactive pre-annotation: `context.result` holds the regions the annotator has drawn so far. */
  params?: { context?: { result?: unknown } | null };
}

/**
 * The annotator's regions in an interactive request's context, as given entities (code points → UTF-16):
 * the model keeps them and finds the relations between them. Only `labels` regions on the target's text,
 * of types the model knows; of regions that overlap, the one that starts first is kept (at the same start,
 * the one listed first), since the model's tags hold one entity a token. In time n log n: a request may
 * list many thousands.
 */
function contextEntities(context: unknown, text: string, target: LabelStudioTarget, model: ModelInfo): GivenEntity[] | undefined {
  const result = (context as { result?: unknown } | null | undefined)?.result;
  if (!Array.isArray(result)) return undefined;
  const units = fromCodePoints(text);
  // The project's labels back to the model's types (`predicted_values`), else as they are.
  const modelType = new Map(model.entityTypes.map((t) => [projectLabel(target.entityMap, t), t]));
  const regions: (GivenEntity & { at: number })[] = [];
  for (const [at, r] of (result as { type?: unknown; to_name?: unknown; id?: unknown; value?: { start?: unknown; end?: unknown; labels?: unknown } }[]).entries()) {
    const v = r?.value;
    const label = Array.isArray(v?.labels) ? v.labels[0] : undefined;
    const type = typeof label === 'string' ? modelType.get(label) : undefined;
    if (r?.type !== 'labels' || (r.to_name !== undefined && r.to_name !== target.textName) || type === undefined) continue;
    if (!Number.isSafeInteger(v?.start) || !Number.isSafeInteger(v?.end)) continue;
    const [start, end] = [units(v!.start as number), units(v!.end as number)];
    if (!(start >= 0 && end > start && end <= text.length) || text.slice(start, end).trim() === '') continue;
    regions.push({ start, end, type, at, ...(typeof r.id === 'string' && r.id !== '' && { id: r.id }) });
  }
  regions.sort((a, b) => a.start - b.start || a.at - b.at);
  const kept: typeof regions = [];
  for (const r of regions) if (kept.length === 0 || kept[kept.length - 1].end <= r.start) kept.push(r);
  // In the annotator's order again; an id taken by an earlier region is left out.
  kept.sort((a, b) => a.at - b.at);
  const ids = new Set<string>();
  const out = kept.map(({ at: _, id, ...e }) => (id === undefined || ids.has(id) ? e : (ids.add(id), { ...e, id })));
  return out.length ? out : undefined;
}

const open = { type: 'object', additionalProperties: true } as const;

/** The config's target, or a 400 saying what the project lacks. */
function targetOf(config: string | undefined, where: string): LabelStudioTarget {
  if (config === undefined || config.trim() === '') return DEFAULT_TARGET;
  const target = readLabelConfig(config);
  if (!target) throw new HttpError(400, 'invalid_input', `${where}: the labelling config has no <Labels> on a <Text>: entrel pre-annotates entities (and relations) in text`);
  return target;
}

/** The task's text (taskText: the config's `<Text value="$field">`, else `text`), or a 400 naming the task. */
function textOf(data: Record<string, unknown>, target: LabelStudioTarget, i: number): string {
  const t = taskText(data, target.field);
  if ('text' in t) return t.text;
  throw new HttpError(400, 'invalid_input', `tasks[${i}].${t.field}: ${t.why}`);
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
    { schema: { tags, summary: "Label Studio's model setup: checks the project's labelling config", operationId: 'labelStudioSetup', body: { ...open, properties: { schema: labelConfigSchema } }, response: { 200: open, ...postErrors } } },
    async (request) => {
      const target = targetOf(request.body.schema as string | undefined, 'schema');
      // A project none of whose labels the model has would get empty pre-annotations for ever.
      if (target.entityTypes && !model.entityTypes.some((t) => target.entityTypes!.has(projectLabel(target.entityMap, t))))
        throw new HttpError(400, 'invalid_input', `schema: none of the project's labels (${[...target.entityTypes].join(', ')}) is one of the model's entity types (${model.entityTypes.join(', ')}); name them so, or map them with predicted_values="TYPE" on the <Label>`);
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
        description: `Tasks of at most ${opts.maxTextLength} UTF-16 code units each, extracted ${opts.maxTexts} at a time, all within the request's time limit.`,
        body: predictBody,
        response: { 200: open, ...postErrors },
      },
    },
    async (request, reply) => {
      const { tasks, label_config: config, params } = request.body;
      const target = targetOf(config, 'label_config');
      const inputs: ExtractInput[] = tasks.map((t, i) => {
        const text = textOf(t.data, target, i);
        if (text.length > opts.maxTextLength) throw new HttpError(413, 'text_too_long', `tasks[${i}] has ${text.length} characters; the limit is ${opts.maxTextLength}`);
        // Interactive pre-annotation (one task): the annotator's regions are kept, the model adds relations.
        const entities = tasks.length === 1 ? contextEntities(params?.context, text, target, model) : undefined;
        return entities ? { text, entities } : text;
      });
      // "Retrieve predictions" on many tasks: in requests' worth at a time, one after the other, all
      // within the one time limit of the request.
      const documents: ExtractedDocument[] = [];
      const deadline = Date.now() + opts.extractTimeout;
      const signal = clientGone(reply);
      for (let i = 0; i < inputs.length; i += opts.maxTexts) {
        const left = opts.extractTimeout > 0 ? deadline - Date.now() : undefined;
        if (left !== undefined && left <= 0) // spent between parts: no model call for nothing
          throw new HttpError(503, 'timeout', `the request was not done within the server's time limit (${opts.extractTimeout / 1000} s for the whole request); send fewer tasks per request (or ask the operator for a longer --request-timeout)`);
        documents.push(...(await batcher.submit(inputs.slice(i, i + opts.maxTexts), {}, { withinMs: left, signal })));
      }
      return { results: documents.map((doc) => labelStudioPrediction(doc, modelVersion, target)), model_version: modelVersion };
    },
  );

  app.post(
    `${LABEL_STUDIO_PREFIX}/webhook`,
    { schema: { tags, summary: 'Label Studio annotation events: acknowledged, not trained on', operationId: 'labelStudioWebhook', body: open, response: { 200: open, ...postErrors } } },
    async () => ({ status: 'Unknown event', message: 'entrel trains from exports (entrel train), not from Label Studio events' }),
  );
}
