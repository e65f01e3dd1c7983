import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { TagsTable } from '../../../store/schema.ts';
import { parentTag } from '../../../tags/tag-name.ts';
import type { tagSchema } from '../../schemas/tags.ts';

/** A tag as the API shows it. */
export type TagView = z.infer<typeof tagSchema>;

/** Builds the view of a stored tag. */
export function viewTag(row: Selectable<TagsTable>): TagView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    source: row.source,
    parent: parentTag(row.name),
    createdAt: row.created_at.toISOString(),
  };
}
