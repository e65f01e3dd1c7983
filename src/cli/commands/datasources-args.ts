import { InvalidArgumentError } from 'commander';

/** Parses a data source id (a positive integer); anything else is a usage error. */
export function dataSourceId(text: string): string {
  if (!/^[1-9][0-9]{0,17}$/.test(text))
    throw new InvalidArgumentError('expected a data source id (a positive integer).');
  return text;
}
