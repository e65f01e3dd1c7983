import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serviceContext } from '../context.ts';
import type { AppDeps } from '../deps.ts';
import { requires } from '../route-config.ts';
import {
  attributeKeySchema,
  attributesInputSchema,
  attributesSchema,
  attributeValueSchema,
} from '../schemas/users.ts';
import { addAttributes, removeAttribute, replaceAttributes } from '../services/people/user-attributes.ts';
import { attributesOf, loadUserRow } from '../services/people/user-view.ts';

const userId = z.coerce.number().int().positive();
const answer = z
  .object({ userId: z.number().int(), attributes: attributesSchema })
  .meta({ id: 'UserAttributes' });
const body = z.object({ attributes: attributesInputSchema }).strict();
const USER_ADMIN = requires('USER_ADMIN');
const tags = ['attributes'];

/**
 * Attributes of users (`Region: [US, CA]`): read, replace all, add values, replace one key, remove a
 * key or one value. Values may be dotted hierarchies with a trailing `*` (`sales.*`).
 */
export async function peopleAttributeRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/users/:id/attributes',
    {
      config: { auth: USER_ADMIN },
      schema: {
        tags,
        summary: "A user's attributes",
        params: z.object({ id: userId }).strict(),
        response: { 200: answer },
      },
    },
    async (request) => {
      const db = deps.store.db;
      await loadUserRow(db, request.params.id);
      return { userId: request.params.id, attributes: await attributesOf(db, request.params.id) };
    },
  );

  r.put(
    '/users/:id/attributes',
    {
      config: { auth: USER_ADMIN, audit: 'AttributeApplied' },
      schema: {
        tags,
        summary: "Replace all of a user's attributes",
        params: z.object({ id: userId }).strict(),
        body,
        response: { 200: answer },
      },
    },
    async (request) => ({
      userId: request.params.id,
      attributes: await replaceAttributes(
        serviceContext(deps, request),
        request.params.id,
        request.body.attributes,
        'all',
      ),
    }),
  );

  r.post(
    '/users/:id/attributes',
    {
      config: { auth: USER_ADMIN, audit: 'AttributeApplied' },
      schema: {
        tags,
        summary: "Add values to a user's attributes, or replace the values of the keys given",
        description:
          'With `mode: "add"` (the default) the values join those the user has; with `mode: "replace"` each key given gets exactly the values given and other keys stay.',
        params: z.object({ id: userId }).strict(),
        body: z
          .object({ attributes: attributesInputSchema, mode: z.enum(['add', 'replace']).default('add') })
          .strict(),
        response: { 200: answer },
      },
    },
    async (request) => {
      const ctx = serviceContext(deps, request);
      const { attributes, mode } = request.body;
      const id = request.params.id;
      return {
        userId: id,
        attributes:
          mode === 'add'
            ? await addAttributes(ctx, id, attributes)
            : await replaceAttributes(ctx, id, attributes, Object.keys(attributes)),
      };
    },
  );

  r.put(
    '/users/:id/attributes/:key',
    {
      config: { auth: USER_ADMIN, audit: 'AttributeApplied' },
      schema: {
        tags,
        summary: 'Replace the values of one attribute key (an empty list removes it)',
        params: z.object({ id: userId, key: attributeKeySchema }).strict(),
        body: z.object({ values: z.array(attributeValueSchema).max(1000) }).strict(),
        response: { 200: answer },
      },
    },
    async (request) => {
      const { id, key } = request.params;
      const attributes = await replaceAttributes(
        serviceContext(deps, request),
        id,
        { [key]: request.body.values },
        [key],
      );
      return { userId: id, attributes };
    },
  );

  r.delete(
    '/users/:id/attributes/:key',
    {
      config: { auth: USER_ADMIN, audit: 'AttributeRemoved' },
      schema: {
        tags,
        summary: 'Remove an attribute key with all its values',
        params: z.object({ id: userId, key: attributeKeySchema }).strict(),
        response: { 200: answer },
      },
    },
    async (request) => {
      const { id, key } = request.params;
      return {
        userId: id,
        attributes: await removeAttribute(serviceContext(deps, request), id, key, undefined),
      };
    },
  );

  r.delete(
    '/users/:id/attributes/:key/:value',
    {
      config: { auth: USER_ADMIN, audit: 'AttributeRemoved' },
      schema: {
        tags,
        summary: 'Remove one value of an attribute',
        params: z.object({ id: userId, key: attributeKeySchema, value: attributeValueSchema }).strict(),
        response: { 200: answer },
      },
    },
    async (request) => {
      const { id, key, value } = request.params;
      return { userId: id, attributes: await removeAttribute(serviceContext(deps, request), id, key, value) };
    },
  );
}
