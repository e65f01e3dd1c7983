import type { Command } from 'commander';
import { CliError, EXIT } from '../cli-error.ts';
import { confirm } from '../confirm.ts';
import { clientFor } from '../connect.ts';
import type { CliContext } from '../context.ts';
import { type Column, cellText, printFields, printJson, printTable, shortTime } from '../output.ts';
import { integerIn } from '../parsers.ts';
import {
  allPages,
  type GroupMemberView,
  type GroupView,
  resolveGroup,
  resolveUser,
} from './users-resolve.ts';

const COLUMNS: ReadonlyArray<Column<GroupView>> = [
  { header: 'ID', cell: (g) => g.id },
  { header: 'NAME', cell: (g) => g.name },
  { header: 'MEMBERS', cell: (g) => g.memberCount },
  { header: 'SOURCE', cell: (g) => g.source },
  { header: 'DESCRIPTION', cell: (g) => g.description },
];

const MEMBER_COLUMNS: ReadonlyArray<Column<GroupMemberView>> = [
  { header: 'ID', cell: (m) => m.id },
  { header: 'USERNAME', cell: (m) => m.username },
  { header: 'NAME', cell: (m) => m.name },
  { header: 'STATE', cell: (m) => m.state },
];

function groupsLs(groups: Command, ctx: CliContext): void {
  groups
    .command('ls')
    .description('List groups, by name')
    .option('--search <text>', 'only groups whose name or description contains this')
    .option('--member <user>', 'only groups this user (username or id) is in')
    .option('--limit <n>', 'at most this many groups (default: all)', integerIn(1, 1_000_000))
    .option('--json', 'print JSON')
    .action(
      async (
        flags: { search?: string; member?: string; limit?: number; json?: boolean },
        command: Command,
      ) => {
        const client = clientFor(ctx, command);
        const memberId =
          flags.member !== undefined ? (await resolveUser(client, flags.member)).id : undefined;
        const { items, more } = await allPages(async (offset, size) => {
          const page = await client.get<{ groups: GroupView[]; next: number | null }>('/groups', {
            search: flags.search,
            memberId,
            offset,
            size,
          });
          return { items: page.groups, next: page.next };
        }, flags.limit);
        if (flags.json) return printJson(ctx.stdout, items);
        printTable(ctx.stdout, COLUMNS, items, 'No groups.');
        if (more) ctx.stderr.write('(more groups exist; raise --limit or narrow the filters)\n');
      },
    );
}

function groupsGet(groups: Command, ctx: CliContext): void {
  groups
    .command('get')
    .description('Show a group and its members')
    .argument('<group>', 'group name or id')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const group = await resolveGroup(client, name);
      const { items: members } = await allPages(async (offset, size) => {
        const page = await client.get<{ members: GroupMemberView[]; next: number | null }>(
          `/groups/${group.id}/members`,
          { offset, size },
        );
        return { items: page.members, next: page.next };
      });
      if (flags.json) return printJson(ctx.stdout, { ...group, members });
      printFields(ctx.stdout, [
        ['id', group.id],
        ['name', group.name],
        ['description', group.description],
        ['source', group.source],
        ['external id', group.externalId],
        ['members', group.memberCount],
        ['created', shortTime(group.createdAt)],
        ['updated', shortTime(group.updatedAt)],
      ]);
      if (members.length > 0) {
        ctx.stdout.write('\n');
        printTable(ctx.stdout, MEMBER_COLUMNS, members, '');
      }
    });
}

function groupsCreate(groups: Command, ctx: CliContext): void {
  groups
    .command('create')
    .description('Create a group')
    .argument('<name>', 'the group name')
    .option('--description <text>', 'what the group is for')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { description?: string; json?: boolean }, command: Command) => {
      const group = await clientFor(ctx, command).post<GroupView>('/groups', {
        name,
        ...(flags.description !== undefined ? { description: flags.description } : {}),
      });
      if (flags.json) return printJson(ctx.stdout, group);
      ctx.stdout.write(`Created group ${group.id} ${cellText(group.name)}.\n`);
    });
}

function groupsDelete(groups: Command, ctx: CliContext): void {
  groups
    .command('delete')
    .description('Delete a group; its members stay users')
    .argument('<group>', 'group name or id')
    .option('-y, --yes', 'delete without asking (required when not on a terminal)')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { yes?: boolean; json?: boolean }, command: Command) => {
      if (!flags.yes && !ctx.stdin.isTTY) {
        throw new CliError('there is no terminal to confirm the deletion on; pass --yes', EXIT.usage);
      }
      const client = clientFor(ctx, command);
      const group = await resolveGroup(client, name);
      const question = `Delete group ${cellText(group.name)} (${group.memberCount} members)? [y/N] `;
      if (!flags.yes && !(await confirm(question, ctx.stdin, ctx.stderr)))
        throw new CliError('nothing was deleted');
      const deleted = await client.delete<GroupView>(`/groups/${group.id}`);
      if (flags.json) return printJson(ctx.stdout, deleted);
      ctx.stdout.write(`Deleted group ${cellText(deleted.name)}.\n`);
    });
}

function groupsAddMember(groups: Command, ctx: CliContext): void {
  groups
    .command('add-member')
    .description('Add users to a group')
    .argument('<group>', 'group name or id')
    .argument('<users...>', 'usernames or ids')
    .option('--json', 'print JSON')
    .action(async (name: string, userNames: string[], flags: { json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const group = await resolveGroup(client, name);
      const users = [];
      for (const user of userNames) users.push(await resolveUser(client, user));
      const after = await client.post<GroupView>(`/groups/${group.id}/members`, {
        userIds: users.map((u) => u.id),
      });
      if (flags.json) return printJson(ctx.stdout, after);
      const added = after.memberCount - group.memberCount;
      ctx.stdout.write(
        `Group ${cellText(after.name)} now has ${after.memberCount} members (${added} added).\n`,
      );
    });
}

function groupsRemoveMember(groups: Command, ctx: CliContext): void {
  groups
    .command('remove-member')
    .description('Remove a user from a group')
    .argument('<group>', 'group name or id')
    .argument('<user>', 'username or id')
    .option('--json', 'print JSON')
    .action(async (name: string, userName: string, flags: { json?: boolean }, command: Command) => {
      const client = clientFor(ctx, command);
      const group = await resolveGroup(client, name);
      const user = await resolveUser(client, userName);
      const after = await client.delete<GroupView>(`/groups/${group.id}/members/${user.id}`);
      if (flags.json) return printJson(ctx.stdout, after);
      ctx.stdout.write(`Removed ${cellText(user.username)} from group ${cellText(after.name)}.\n`);
    });
}

/** `steward groups`: list, show, create and delete groups, and change their members. */
export function groupsCommand(program: Command, ctx: CliContext): void {
  const groups = program
    .command('groups')
    .description('Groups: ls, get, create, delete, add-member, remove-member (name a group by name or id)');
  groupsLs(groups, ctx);
  groupsGet(groups, ctx);
  groupsCreate(groups, ctx);
  groupsDelete(groups, ctx);
  groupsAddMember(groups, ctx);
  groupsRemoveMember(groups, ctx);
}
