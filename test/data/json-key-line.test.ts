import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonKeyLine } from '../../src/data/json-key-line.js';

test('the line of a key, nested, in an array, repeated', () => {
  const text = '{\n  "a": 1,\n  "b": {\n    "c": [10,\n      {"d": "x\\"}"}]\n  },\n  "a": 2\n}';
  JSON.parse(text); // it is JSON
  assert.equal(jsonKeyLine(text, ['b']), 3);
  assert.equal(jsonKeyLine(text, ['b', 'c']), 4);
  assert.equal(jsonKeyLine(text, ['b', 'c', 0]), 4);
  assert.equal(jsonKeyLine(text, ['b', 'c', 1]), 5);
  assert.equal(jsonKeyLine(text, ['b', 'c', 1, 'd']), 5, 'a string holding an escaped quote and a brace');
  assert.equal(jsonKeyLine(text, ['a']), 7, 'the last of a repeated key, as JSON.parse keeps');
  assert.equal(jsonKeyLine('\ufeff{\n"k": 1}', ['k']), 2, 'after a BOM');
  assert.equal(jsonKeyLine('{"k\\u0041": 1}', ['kA']), 1, 'an escaped key, as JSON.parse reads it');
});

test('no line where there is none to name', () => {
  assert.equal(jsonKeyLine('{"a": 1}', ['b']), undefined);
  assert.equal(jsonKeyLine('{"a": 1}', ['a', 'b']), undefined, 'inside a scalar');
  assert.equal(jsonKeyLine('{"a": [1]}', ['a', 3]), undefined);
  assert.equal(jsonKeyLine('{"a": 1}', []), undefined);
  assert.equal(jsonKeyLine('{"a" 1}', ['a']), undefined, 'not JSON');
  assert.equal(jsonKeyLine('{"a": "', ['a']), undefined, 'cut short');
});

test('a value nested 100,000 deep is skipped without recursion', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.equal(jsonKeyLine(`{"x": ${deep},\n"y": 1}`, ['y']), 2);
  assert.equal(jsonKeyLine(`{"x": ${deep}}`, ['x']), 1);
});
