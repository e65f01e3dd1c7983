import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors/index.ts';
import { SCIM_MEDIA_TYPE } from '../../scim/urns.ts';

/**
 * Parses `application/scim+json` bodies, with or without parameters (`; charset=utf-8`, which the
 * API's `+json` parser does not match), through Fastify's JSON parser with prototype poisoning
 * refused. An empty body is no body; a malformed one is REQUEST_MALFORMED (SCIM `invalidSyntax`).
 */
export function registerScimBodyParser(scope: FastifyInstance): void {
  const parseJson = scope.getDefaultJsonParser('error', 'error');
  scope.addContentTypeParser(SCIM_MEDIA_TYPE, { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, (error, value) => {
      if (error) done(new AppError('REQUEST_MALFORMED', 'The body is not valid JSON.'), undefined);
      else done(null, value);
    });
  });
}
