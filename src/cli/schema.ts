// The JSON Schema of the log format (docs/log-format.schema.json), compiled with Ajv for the CLI and
// tests. The extension itself validates with valibot (src/core/log/schema.ts): no eval there.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

export const SCHEMA_PATH = resolve(import.meta.dirname, '../../docs/log-format.schema.json');

export interface SchemaValidators {
  document: ValidateFunction;
  header: ValidateFunction;
  event: ValidateFunction;
}

let cached: SchemaValidators | undefined;

export function schemaValidators(): SchemaValidators {
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { $id: string };
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  ajv.addSchema(schema);
  cached = {
    document: ajv.getSchema(schema.$id)!,
    header: ajv.getSchema(`${schema.$id}#/$defs/header`)!,
    event: ajv.getSchema(`${schema.$id}#/$defs/event`)!,
  };
  return cached;
}

/** The first schema error of the last validation, as "<json path>: <message>". */
export function firstError(fn: ValidateFunction, at = '$'): string {
  const e = fn.errors?.[0];
  if (!e) return 'invalid';
  const path = e.instancePath.split('/').slice(1).map((k) => (/^\d+$/.test(k) ? `[${k}]` : `.${k.replace(/~1/g, '/').replace(/~0/g, '~')}`)).join('');
  return `${at}${path}: ${e.message ?? 'invalid'}`;
}
