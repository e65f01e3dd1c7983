import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { AppError } from '../../errors/index.ts';

/** Media types whose bodies are parsed as YAML (the reference API accepts JSON or YAML). */
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function rejectPrototypeKeys(value: unknown): void {
  if (Array.isArray(value)) {
    for (const v of value) rejectPrototypeKeys(v);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(k)) {
        throw new AppError('REQUEST_MALFORMED', `The body contains the forbidden key "${k}".`);
      }
      rejectPrototypeKeys(v);
    }
  }
}

function parseJson(_req: FastifyRequest, body: string): unknown {
  if (body.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    const at = /position (\d+)/.exec(String((cause as Error).message))?.[1];
    throw new AppError(
      'REQUEST_MALFORMED',
      `The body is not valid JSON${at ? ` (at character ${at})` : ''}.`,
    );
  }
  rejectPrototypeKeys(value);
  return value;
}

function parseYamlBody(_req: FastifyRequest, body: string): unknown {
  if (body.trim() === '') return undefined;
  let value: unknown;
  try {
    value = parseYaml(body, { maxAliasCount: 100, prettyErrors: true, uniqueKeys: true });
  } catch (cause) {
    const where =
      cause instanceof YAMLParseError && cause.linePos
        ? ` (line ${cause.linePos[0].line}, column ${cause.linePos[0].col})`
        : '';
    throw new AppError('REQUEST_MALFORMED', `The body is not valid YAML${where}.`);
  }
  rejectPrototypeKeys(value);
  return value;
}

/** Replaces Fastify's body parsers: JSON and YAML, with problem errors that say where parsing failed. */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  for (const type of ['application/json', /^application\/[\w.+-]+\+json(\s*;.*)?$/]) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (req, body, done) => {
      try {
        done(null, parseJson(req, body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  }
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (req, body, done) => {
    try {
      done(null, parseYamlBody(req, body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
