import { escapeHtml as esc } from '../data/escape.js';
import { htmlPage } from './html.js';
import { geometry } from './layout.js';
import { countedScript } from './plural.js';
import { tabScript, tabs } from './styles.js';

/**
 * The service's page: paste text, POST /v1/extract, then POST the documents to /v1/render, which runs
 * the same renderer as `--format html`, so there is one drawing code. Results are inserted as text
 * (JSON) or as server-escaped markup, never as raw user text.
 *
 * When the server requires API keys, the page has an "API key" field (rendered in only then; the script
 * is the same either way, so the page's CSP hash is too). The key is sent as `Authorization: Bearer` and
 * kept in sessionStorage (this tab only, gone when it closes); the field has no name, so no form
 * submission could put it in a URL.
 */
const appScript = `
${countedScript}
const form = document.getElementById('extract-form');
const status = document.getElementById('status');
const view = document.getElementById('view');
const json = document.getElementById('json');
const apiKey = document.getElementById('apikey');
const KEY_ITEM = 'entrel-api-key';
if (apiKey) {
  try { apiKey.value = sessionStorage.getItem(KEY_ITEM) || ''; } catch {}
  apiKey.addEventListener('input', () => {
    apiKey.removeAttribute('aria-invalid');
    try {
      if (apiKey.value.trim() === '') sessionStorage.removeItem(KEY_ITEM);
      else sessionStorage.setItem(KEY_ITEM, apiKey.value.trim());
    } catch {}
  });
}
async function post(path, body) {
  const headers = { 'content-type': 'application/json' };
  const key = apiKey ? apiKey.value.trim() : '';
  if (key !== '') headers.authorization = 'Bearer ' + key;
  // A relative URL: the page may be served under a path prefix by a reverse proxy (/entrel/ → /).
  const res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  if (res.ok) return res;
  if (res.status === 401) {
    if (apiKey) apiKey.setAttribute('aria-invalid', 'true');
    throw new Error(key === '' ? 'This server needs an API key: enter it in the API key field.' : "The API key was not accepted (401): check it, or ask the server's operator for one.");
  }
  let message = res.status + ' ' + res.statusText;
  try { message = (await res.json()).error.message; } catch {}
  throw new Error(message);
}
const button = form.elements.extract;
let busy = false;
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  // aria-disabled, not disabled: disabling the focused button would drop keyboard focus to the page.
  if (busy) return;
  busy = true;
  button.setAttribute('aria-disabled', 'true');
  const body = { text: form.elements.text.value };
  const threshold = form.elements.threshold.value;
  if (threshold !== '') body.relationThreshold = Number(threshold);
  status.className = '';
  status.textContent = 'Extracting…';
  // What is shown always belongs to this text: no drawing or JSON of the previous one stays behind.
  view.textContent = '';
  json.textContent = '';
  let stage = '';
  try {
    const result = await (await post('v1/extract', body)).json();
    json.textContent = JSON.stringify(result, null, 2);
    const d = result.documents[0];
    const counts = counted(d.entities.length, 'entity', 'entities') + ', ' + counted(d.relations.length, 'relation');
    status.textContent = counts + '; drawing…';
    stage = counts + '; cannot draw them (the JSON tab has them): ';
    // Fit rows to the window (the view may be hidden behind the JSON tab, so not its own width).
    const width = Math.max(20, Math.min(400, Math.floor((document.body.clientWidth - 100) / ${geometry.charWidth})));
    // The drawing does not read the sentences and tokens, most of the answer's size: they are not sent back.
    const documents = result.documents.map((d) => Object.assign({}, d, { sentences: [] }));
    view.innerHTML = await (await post('v1/render', { documents, width })).text();
    status.textContent = counts;
  } catch (err) {
    status.className = 'error';
    status.textContent = stage + err.message;
  } finally {
    busy = false;
    button.removeAttribute('aria-disabled');
  }
});
`;

/** The API key field, for a server that requires keys: a password field with no name (never submitted). */
const apiKeyField =
  `<div class="controls"><label for="apikey">API key</label>` +
  `<input id="apikey" type="password" autocomplete="off" spellcheck="false" size="40" aria-describedby="apikey-note">` +
  `<span id="apikey-note">This server requires one; kept in this tab only.</span></div>`;

const form = (apiKey: boolean) =>
  `<form id="extract-form">${apiKey ? apiKeyField : ''}<label for="text">Text</label>` +
  `<textarea id="text" name="text" rows="6" placeholder="Paste text, e.g. John Smith works for Acme Corp in Boston."></textarea>` +
  `<div class="controls"><button id="extract" name="extract" type="submit">Extract</button>` +
  `<label>Relation threshold <input name="threshold" type="number" min="0" max="1" step="any" placeholder="0"></label>` +
  `<span id="status" role="status"></span></div></form>`;

export const appScripts = [tabScript, appScript];

interface AppPageOptions {
  /** The server requires an API key: show the field for it and send it with every request. */
  apiKey?: boolean;
}

export function renderAppPage(modelName: string, options: AppPageOptions = {}): string {
  const title = `entrel — ${modelName}`;
  const body = `<h1>${esc(title)}</h1>${form(options.apiKey === true)}${tabs('<div id="view"></div>', '<pre id="json" class="json"></pre>')}`;
  return htmlPage(title, appScripts, body);
}
