import { type Command, InvalidArgumentError } from 'commander';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { type Column, printJson, printTable } from '../output.ts';
import { resolveUser } from './users-resolve.ts';

type Attributes = Record<string, string[]>;

type KeyValues = { readonly key: string; readonly values: string[] };

/** Parses `Key=V1,V2` into a key and its values; anything else is a usage error. */
export function keyValues(text: string): KeyValues {
  const at = text.indexOf('=');
  const key = at < 0 ? '' : text.slice(0, at);
  const values =
    at < 0
      ? []
      : text
          .slice(at + 1)
          .split(',')
          .filter((v) => v !== '');
  if (key === '' || values.length === 0) {
    throw new InvalidArgumentError('expected Key=Value or Key=Value1,Value2.');
  }
  return { key, values };
}

const COLUMNS: ReadonlyArray<Column<readonly [string, string[]]>> = [
  { header: 'KEY', cell: ([key]) => key },
  { header: 'VALUES', cell: ([, values]) => values.join(', ') },
];

function print(ctx: CliContext, attributes: Attributes, json: boolean | undefined): void {
  if (json) printJson(ctx.stdout, attributes);
  else printTable(ctx.stdout, COLUMNS, Object.entries(attributes), 'No attributes.');
}

function attributesLs(attributes: Command, ctx: CliContext): void {
  attributes
    .command('ls')
    .description("List a user's attributes")
    .argument('<user>', 'username or id')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const user = await resolveUser(client, name);
      const answer = await client.get<{ attributes: Attributes }>(`/users/${user.id}/attributes`);
      print(ctx, answer.attributes, flags.json);
    });
}

function attributesSet(attributes: Command, ctx: CliContext): void {
  attributes
    .command('set')
    .description(
      'Set the values of attribute keys (other keys stay): steward attributes set alice Region=US,CA',
    )
    .argument('<user>', 'username or id')
    .argument(
      '<Key=Values...>',
      'a key and its comma-separated values; the values replace those the key had',
      (text: string, previous: KeyValues[] | undefined) => [...(previous ?? []), keyValues(text)],
    )
    .option('--json', 'print JSON')
    .action(async (name: string, parsed: KeyValues[], flags: { json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const user = await resolveUser(client, name);
      const wanted: Attributes = {};
      for (const { key, values } of parsed) wanted[key] = [...(wanted[key] ?? []), ...values];
      const answer = await client.post<{ attributes: Attributes }>(`/users/${user.id}/attributes`, {
        attributes: wanted,
        mode: 'replace',
      });
      print(ctx, answer.attributes, flags.json);
    });
}

function attributesRm(attributes: Command, ctx: CliContext): void {
  attributes
    .command('rm')
    .description('Remove an attribute key, or one value of it')
    .argument('<user>', 'username or id')
    .argument('<Key[=Value]>', 'the key, or the key and one value')
    .option('--json', 'print JSON')
    .action(async (name: string, target: string, flags: { json?: boolean }, command: Command) => {
      const at = target.indexOf('=');
      const key = at < 0 ? target : target.slice(0, at);
      const value = at < 0 ? undefined : target.slice(at + 1);
      const client = clientFor(ctx, command);
      const user = await resolveUser(client, name);
      const path = `/users/${user.id}/attributes/${encodeURIComponent(key)}${value !== undefined ? `/${encodeURIComponent(value)}` : ''}`;
      const answer = await client.delete<{ attributes: Attributes }>(path);
      print(ctx, answer.attributes, flags.json);
    });
}

/** `steward attributes`: list, set and remove the attributes of a user. */
export function attributesCommand(program: Command, ctx: CliContext): void {
  const attributes = program.command('attributes').description("A user's attributes: ls, set, rm");
  attributesLs(attributes, ctx);
  attributesSet(attributes, ctx);
  attributesRm(attributes, ctx);
}
