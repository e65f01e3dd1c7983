import type { z } from 'zod';
import { platformOf } from '../../../connections/load-connection.ts';
import { AppError, type FieldError, fieldError } from '../../../errors/index.ts';
import type { Platform, PlatformRegistry } from '../../../platforms/platform.ts';
import type { Db } from '../../../store/schema.ts';
import { fieldErrorsFromZod } from '../../plugins/validation.ts';

/** A connection payload that passed every check: its platform and normalised parts. */
export interface ParsedConnection {
  readonly platform: Platform;
  readonly connectionKey: string;
  readonly connection: Record<string, unknown>;
  readonly nativeIntegration: Record<string, unknown> | undefined;
  readonly isActive: boolean;
  readonly forceRecursiveCrawl: boolean;
}

/** The body as the route schema has already checked it. */
export interface ConnectionBody {
  readonly connectionKey: string;
  readonly connection: Record<string, unknown>;
  readonly settings?: { readonly isActive: boolean } | undefined;
  readonly options?: { readonly forceRecursiveCrawl: boolean } | undefined;
  readonly nativeIntegration?: Record<string, unknown> | undefined;
}

function invalid(errors: FieldError[]): AppError {
  const names = [...new Set(errors.map((e) => e.field))].slice(0, 4).join(', ');
  return new AppError('REQUEST_INVALID', `Invalid ${names}: ${errors[0]?.detail ?? 'invalid'}.`, { errors });
}

function prefixed(issues: readonly z.core.$ZodIssue[], prefix: string): FieldError[] {
  return fieldErrorsFromZod(issues, 'body').map((e) =>
    fieldError(
      'body',
      [
        prefix,
        ...(e.field === ''
          ? []
          : e.pointer
              .slice(2)
              .split('/')
              .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))),
      ],
      e.detail,
    ),
  );
}

/** Finds the field of a native integration config that names the Steward-owned namespace. */
function namespaceField(
  nativeIntegration: Record<string, unknown> | undefined,
  namespace: string | undefined,
): string[] {
  const config = (nativeIntegration?.['config'] ?? {}) as Record<string, unknown>;
  const key = Object.keys(config).find((k) => config[k] === namespace) ?? 'catalog';
  return ['nativeIntegration', 'config', key];
}

/**
 * Checks a connection payload beyond its shape: the native integration against the platform's schema,
 * the fields the reference says must match (each mismatch names both fields), and the Steward-owned
 * namespace against the setup script generated for the same host.
 */
export async function parseConnectionPayload(
  db: Db,
  platforms: PlatformRegistry,
  body: ConnectionBody,
): Promise<ParsedConnection> {
  const technology = String(body.connection['technology']);
  const platform = platformOf(platforms, technology);
  let nativeIntegration: Record<string, unknown> | undefined;
  if (body.nativeIntegration === undefined) {
    if (platform.nativeIntegrationSchema && !platform.capabilities.nativeIntegrationOptional) {
      throw invalid([fieldError('body', ['nativeIntegration'], `is required for ${technology} connections`)]);
    }
  } else {
    if (!platform.nativeIntegrationSchema) {
      throw invalid([fieldError('body', ['nativeIntegration'], `is not used by ${technology} connections`)]);
    }
    if (body.nativeIntegration['type'] !== technology) {
      throw invalid([
        fieldError('body', ['nativeIntegration', 'type'], `must equal connection.technology (${technology})`),
        fieldError('body', ['connection', 'technology'], 'must equal nativeIntegration.type'),
      ]);
    }
    const result = platform.nativeIntegrationSchema.safeParse(body.nativeIntegration);
    if (!result.success) throw invalid(prefixed(result.error.issues, 'nativeIntegration'));
    nativeIntegration = result.data;
  }
  const consistency = platform.checkConsistency({ connection: body.connection, nativeIntegration });
  if (consistency.length > 0) throw invalid(consistency);
  const described = platform.describe({ connection: body.connection, nativeIntegration });
  const script = await db
    .selectFrom('integration_scripts')
    .select(['steward_namespace', 'id'])
    .where('technology', '=', technology)
    .where((eb) => eb(eb.fn('lower', ['host']), '=', described.host.toLowerCase()))
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (
    script &&
    described.stewardNamespace !== undefined &&
    script.steward_namespace !== described.stewardNamespace
  ) {
    throw invalid([
      fieldError(
        'body',
        namespaceField(nativeIntegration, described.stewardNamespace),
        `must equal the one of the setup script generated for this host (${script.steward_namespace})`,
      ),
    ]);
  }
  return {
    platform,
    connectionKey: body.connectionKey,
    connection: body.connection,
    nativeIntegration,
    isActive: body.settings?.isActive ?? true,
    forceRecursiveCrawl: body.options?.forceRecursiveCrawl ?? false,
  };
}
