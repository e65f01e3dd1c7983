import type { Command } from 'commander';
import { PERMISSIONS } from '../../domain/permission.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { confirm } from '../confirm.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { type Column, cellText, printFields, printJson, printTable, shortTime } from '../output.ts';
import { integerIn, oneOf, repeatableOf } from '../parsers.ts';
import { allPages, resolveUser, type UserDetailView, type UserView } from './users-resolve.ts';

const COLUMNS: ReadonlyArray<Column<UserView>> = [
  { header: 'ID', cell: (u) => u.id },
  { header: 'USERNAME', cell: (u) => u.username },
  { header: 'NAME', cell: (u) => u.name },
  { header: 'EMAIL', cell: (u) => u.email },
  { header: 'STATE', cell: (u) => u.state },
  { header: 'SOURCE', cell: (u) => u.source },
  { header: 'PERMISSIONS', cell: (u) => u.permissions.join(',') },
];

/** Prints a user with their groups and attributes. */
export function printUser(ctx: CliContext, user: UserDetailView): void {
  printFields(ctx.stdout, [
    ['id', user.id],
    ['username', user.username],
    ['name', user.name],
    ['email', user.email],
    ['state', user.state],
    ['source', user.source],
    ['external id', user.externalId],
    ['permissions', user.permissions.join(', ')],
    ['groups', user.groups.map((g) => g.name).join(', ')],
    ...Object.entries(user.attributes).map(
      ([key, values]) => [`attribute ${key}`, values.join(', ')] as const,
    ),
    ['created', shortTime(user.createdAt)],
    ['updated', shortTime(user.updatedAt)],
  ]);
}

function usersLs(users: Command, ctx: CliContext): void {
  users
    .command('ls')
    .description('List users, by username')
    .option('--search <text>', 'only users whose username, name or email contains this')
    .option('--group <name>', 'only members of this group')
    .option('--attribute <Key[=Value]>', 'only users with this attribute (and value)')
    .option('--state <state>', 'only active or disabled users', oneOf(['active', 'disabled'] as const))
    .option('--limit <n>', 'at most this many users (default: all)', integerIn(1, 1_000_000))
    .option('--json', 'print JSON')
    .action(
      async (
        flags: {
          search?: string;
          group?: string;
          attribute?: string;
          state?: string;
          limit?: number;
          json?: boolean;
        },
        command: Command,
      ) => {
        const client = clientFor(ctx, command);
        const { items, more } = await allPages(async (offset, size) => {
          const page = await client.get<{ users: UserView[]; next: number | null }>('/users', {
            search: flags.search,
            group: flags.group,
            attribute: flags.attribute,
            state: flags.state,
            offset,
            size,
          });
          return { items: page.users, next: page.next };
        }, flags.limit);
        if (flags.json) return printJson(ctx.stdout, items);
        printTable(ctx.stdout, COLUMNS, items, 'No users.');
        if (more) ctx.stderr.write('(more users exist; raise --limit or narrow the filters)\n');
      },
    );
}

function usersGet(users: Command, ctx: CliContext): void {
  users
    .command('get')
    .description('Show a user with their groups and attributes')
    .argument('<user>', 'username or id')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const user = await client.get<UserDetailView>(`/users/${(await resolveUser(client, name)).id}`);
      if (flags.json) return printJson(ctx.stdout, user);
      printUser(ctx, user);
    });
}

function usersCreate(users: Command, ctx: CliContext): void {
  users
    .command('create')
    .description('Create a user')
    .argument('<username>', 'the new username')
    .option('--name <name>', 'display name')
    .option('--email <email>', 'email address')
    .option(
      '--permission <permission>',
      `a global permission (repeatable): ${PERMISSIONS.join(', ')}`,
      repeatableOf(PERMISSIONS),
    )
    .option('--json', 'print JSON')
    .action(
      async (
        username: string,
        flags: { name?: string; email?: string; permission?: string[]; json?: boolean },
        command: Command,
      ) => {
        const user = await clientFor(ctx, command).post<UserDetailView>('/users', {
          username,
          ...(flags.name !== undefined ? { name: flags.name } : {}),
          ...(flags.email !== undefined ? { email: flags.email } : {}),
          ...(flags.permission ? { permissions: flags.permission } : {}),
        });
        if (flags.json) return printJson(ctx.stdout, user);
        ctx.stdout.write(`Created user ${user.id} ${cellText(user.username)}.\n`);
      },
    );
}

function usersState(users: Command, ctx: CliContext, state: 'active' | 'disabled'): void {
  const verb = state === 'active' ? 'enable' : 'disable';
  users
    .command(verb)
    .description(
      state === 'active'
        ? 'Enable a disabled user'
        : 'Disable a user: every API key of theirs stops working at once',
    )
    .argument('<user>', 'username or id')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const target = await resolveUser(client, name);
      const user = await client.put<UserDetailView>(`/users/${target.id}`, { state });
      if (flags.json) return printJson(ctx.stdout, user);
      ctx.stdout.write(`${state === 'active' ? 'Enabled' : 'Disabled'} user ${cellText(user.username)}.\n`);
    });
}

function usersDelete(users: Command, ctx: CliContext): void {
  users
    .command('delete')
    .description('Delete a user with their API keys, memberships, attributes and external ids')
    .argument('<user>', 'username or id')
    .option('-y, --yes', 'delete without asking (required when not on a terminal)')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { yes?: boolean; json?: boolean }, command: Command) => {
      if (!flags.yes && !ctx.stdin.isTTY) {
        throw new CliError('there is no terminal to confirm the deletion on; pass --yes', EXIT.usage);
      }
      const client = clientFor(ctx, command);
      const target = await resolveUser(client, name);
      const question = `Delete user ${cellText(target.username)} (id ${target.id})? [y/N] `;
      if (!flags.yes && !(await confirm(question, ctx.stdin, ctx.stderr)))
        throw new CliError('nothing was deleted');
      const deleted = await client.delete<UserView>(`/users/${target.id}`);
      if (flags.json) return printJson(ctx.stdout, deleted);
      ctx.stdout.write(`Deleted user ${cellText(deleted.username)}.\n`);
    });
}

/** `steward users`: list, show, create, disable, enable and delete users. */
export function usersCommand(program: Command, ctx: CliContext): void {
  const users = program
    .command('users')
    .description('Users: ls, get, create, disable, enable, delete (name a user by username or id)');
  usersLs(users, ctx);
  usersGet(users, ctx);
  usersCreate(users, ctx);
  usersState(users, ctx, 'disabled');
  usersState(users, ctx, 'active');
  usersDelete(users, ctx);
}
