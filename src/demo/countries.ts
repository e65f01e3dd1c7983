import type { Culture, StreetStyle } from './vocab.ts';

/** Sales regions; row-level security in the demo filters customers and employees by them. */
export type Region = 'NA' | 'EMEA' | 'APAC' | 'LATAM';

/** ISO 3166-1 alpha-2 codes of the countries that have demo customers. */
export type CountryCode = 'US' | 'CA' | 'GB' | 'DE' | 'FR' | 'ES' | 'NL' | 'AU' | 'IN' | 'JP' | 'BR' | 'MX';

/**
 * A country's conventions. Phone and postal templates use `#` for any digit, `%` for a digit 2-9
 * and `@` for a letter of `postalLetters`; every other character is literal.
 */
export interface Country {
  readonly code: CountryCode;
  readonly region: Region;
  readonly currency: string;
  /** Units of the currency per US dollar, times 1000. */
  readonly perThousandUsd: number;
  /** International calling code, and the trunk prefix that E.164 drops from national numbers. */
  readonly dial: string;
  readonly trunk: string;
  /** Mobile number templates in national format; empty where mobiles share the city templates. */
  readonly mobile: readonly string[];
  readonly postalLetters: string;
  /** Appended to some postal codes (the US ZIP+4). */
  readonly postalExtension?: string;
  /** Name traditions of residents; repeats weigh more. */
  readonly cultures: readonly Culture[];
  readonly street: StreetStyle;
  readonly mailDomains: readonly string[];
  /** Relative share of customers. */
  readonly weight: number;
}

/** A city, its subdivision code and the phone and postal code templates used there. */
export interface City {
  readonly name: string;
  readonly country: CountryCode;
  readonly state: string;
  readonly phone: readonly string[];
  readonly postal: readonly string[];
}

const country = (c: Omit<Country, 'postalLetters'> & { postalLetters?: string }): Country => ({
  postalLetters: 'ABCDEFGHJKLMNPRSTUVWXYZ',
  ...c,
});

/** The demo countries, keyed by ISO code. */
export const COUNTRIES: Readonly<Record<CountryCode, Country>> = {
  US: country({
    code: 'US',
    region: 'NA',
    currency: 'USD',
    perThousandUsd: 1000,
    dial: '1',
    trunk: '',
    mobile: [],
    postalExtension: '-####',
    cultures: ['en', 'en', 'en', 'en', 'en', 'en', 'es', 'es', 'zh', 'in', 'yo'],
    street: 'en',
    mailDomains: ['comcast.net', 'att.net'],
    weight: 26,
  }),
  CA: country({
    code: 'CA',
    region: 'NA',
    currency: 'CAD',
    perThousandUsd: 1360,
    dial: '1',
    trunk: '',
    mobile: [],
    postalLetters: 'ABCEGHJKLMNPRSTVWXYZ',
    cultures: ['en', 'en', 'en', 'en', 'en', 'fr', 'fr', 'zh', 'in', 'ar'],
    street: 'en',
    mailDomains: ['rogers.com', 'shaw.ca'],
    weight: 6,
  }),
  GB: country({
    code: 'GB',
    region: 'EMEA',
    currency: 'GBP',
    perThousandUsd: 790,
    dial: '44',
    trunk: '0',
    mobile: ['077## ######', '078## ######', '079## ######', '074## ######'],
    postalLetters: 'ABDEFGHJLNPQRSTUWXYZ',
    cultures: ['en', 'en', 'en', 'en', 'en', 'en', 'in', 'in', 'yo', 'ar'],
    street: 'en',
    mailDomains: ['btinternet.com', 'yahoo.co.uk'],
    weight: 9,
  }),
  DE: country({
    code: 'DE',
    region: 'EMEA',
    currency: 'EUR',
    perThousandUsd: 920,
    dial: '49',
    trunk: '0',
    mobile: ['0151 ########', '0160 ########', '0170 ########', '0176 ########'],
    cultures: ['de', 'de', 'de', 'de', 'de', 'de', 'de', 'ar', 'en'],
    street: 'de',
    mailDomains: ['gmx.de', 'web.de', 't-online.de'],
    weight: 8,
  }),
  FR: country({
    code: 'FR',
    region: 'EMEA',
    currency: 'EUR',
    perThousandUsd: 920,
    dial: '33',
    trunk: '0',
    mobile: ['06 ## ## ## ##', '07 ## ## ## ##'],
    cultures: ['fr', 'fr', 'fr', 'fr', 'fr', 'fr', 'fr', 'ar', 'ar', 'yo'],
    street: 'fr',
    mailDomains: ['orange.fr', 'free.fr', 'laposte.net'],
    weight: 6,
  }),
  ES: country({
    code: 'ES',
    region: 'EMEA',
    currency: 'EUR',
    perThousandUsd: 920,
    dial: '34',
    trunk: '',
    mobile: ['6## ### ###'],
    cultures: ['es', 'es', 'es', 'es', 'es', 'es', 'es', 'es', 'ar', 'en'],
    street: 'es',
    mailDomains: ['telefonica.net', 'yahoo.es'],
    weight: 4,
  }),
  NL: country({
    code: 'NL',
    region: 'EMEA',
    currency: 'EUR',
    perThousandUsd: 920,
    dial: '31',
    trunk: '0',
    mobile: ['06 ########'],
    postalLetters: 'ABCDEGHJKLMNPRTVWXZ',
    cultures: ['nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'ar', 'de'],
    street: 'nl',
    mailDomains: ['ziggo.nl', 'kpnmail.nl'],
    weight: 3,
  }),
  AU: country({
    code: 'AU',
    region: 'APAC',
    currency: 'AUD',
    perThousandUsd: 1520,
    dial: '61',
    trunk: '0',
    mobile: ['04## ### ###'],
    cultures: ['en', 'en', 'en', 'en', 'en', 'en', 'zh', 'zh', 'in'],
    street: 'en',
    mailDomains: ['bigpond.com', 'optusnet.com.au'],
    weight: 6,
  }),
  IN: country({
    code: 'IN',
    region: 'APAC',
    currency: 'INR',
    perThousandUsd: 83000,
    dial: '91',
    trunk: '0',
    mobile: ['9#### #####', '8#### #####', '7#### #####'],
    cultures: ['in'],
    street: 'in',
    mailDomains: ['rediffmail.com', 'yahoo.co.in'],
    weight: 12,
  }),
  JP: country({
    code: 'JP',
    region: 'APAC',
    currency: 'JPY',
    perThousandUsd: 150000,
    dial: '81',
    trunk: '0',
    mobile: ['090-####-####', '080-####-####', '070-####-####'],
    cultures: ['jp'],
    street: 'jp',
    mailDomains: ['yahoo.co.jp', 'docomo.ne.jp'],
    weight: 5,
  }),
  BR: country({
    code: 'BR',
    region: 'LATAM',
    currency: 'BRL',
    perThousandUsd: 5000,
    dial: '55',
    trunk: '',
    mobile: [],
    cultures: ['pt', 'pt', 'pt', 'pt', 'pt', 'pt', 'pt', 'pt', 'jp'],
    street: 'pt',
    mailDomains: ['uol.com.br', 'bol.com.br'],
    weight: 9,
  }),
  MX: country({
    code: 'MX',
    region: 'LATAM',
    currency: 'MXN',
    perThousandUsd: 17000,
    dial: '52',
    trunk: '',
    mobile: [],
    cultures: ['es'],
    street: 'es',
    mailDomains: ['prodigy.net.mx', 'yahoo.com.mx'],
    weight: 6,
  }),
};

const us = (name: string, state: string, areas: readonly string[], zips: readonly string[]): City => ({
  name,
  country: 'US',
  state,
  phone: areas.map((a) => `(${a}) %##-####`),
  postal: zips.map((z) => `${z}##`),
});
const ca = (name: string, state: string, areas: readonly string[], fsas: readonly string[]): City => ({
  name,
  country: 'CA',
  state,
  phone: areas.map((a) => `(${a}) %##-####`),
  postal: fsas.map((f) => `${f}@ #@#`),
});
const city = (
  country: CountryCode,
  name: string,
  state: string,
  phone: readonly string[],
  postal: readonly string[],
): City => ({
  name,
  country,
  state,
  phone,
  postal,
});

/** Forty-odd cities of the demo countries, with real area codes and postal code prefixes. */
export const CITIES: readonly City[] = [
  us('New York', 'NY', ['212', '646', '718'], ['100', '101', '112']),
  us('Los Angeles', 'CA', ['213', '310', '323'], ['900', '902']),
  us('Chicago', 'IL', ['312', '773'], ['606']),
  us('Houston', 'TX', ['713', '832'], ['770']),
  us('San Francisco', 'CA', ['415', '628'], ['941']),
  us('Seattle', 'WA', ['206'], ['981']),
  us('Boston', 'MA', ['617', '857'], ['021']),
  us('Miami', 'FL', ['305', '786'], ['331']),
  ca('Toronto', 'ON', ['416', '647'], ['M5', 'M4', 'M6']),
  ca('Vancouver', 'BC', ['604', '778'], ['V6', 'V5']),
  ca('Montréal', 'QC', ['514', '438'], ['H2', 'H3']),
  ca('Calgary', 'AB', ['403', '587'], ['T2', 'T3']),
  city(
    'GB',
    'London',
    'ENG',
    ['020 7### ####', '020 8### ####', '020 3### ####'],
    ['SW1A #@@', 'EC1A #@@', 'W1D #@@', 'N1 #@@', 'E14 #@@', 'SE1 #@@', 'NW3 #@@'],
  ),
  city('GB', 'Manchester', 'ENG', ['0161 %## ####'], ['M1 #@@', 'M4 #@@', 'M20 #@@']),
  city('GB', 'Birmingham', 'ENG', ['0121 %## ####'], ['B1 #@@', 'B15 #@@']),
  city('GB', 'Edinburgh', 'SCT', ['0131 %## ####'], ['EH1 #@@', 'EH3 #@@', 'EH10 #@@']),
  city('DE', 'Berlin', 'BE', ['030 %#######'], ['10###', '12###', '13###']),
  city('DE', 'München', 'BY', ['089 %#######'], ['80###', '81###']),
  city('DE', 'Hamburg', 'HH', ['040 %#######'], ['20###', '22###']),
  city('DE', 'Frankfurt am Main', 'HE', ['069 %#######'], ['60###']),
  city('FR', 'Paris', 'IDF', ['01 ## ## ## ##'], ['7500#', '7501#']),
  city('FR', 'Lyon', 'ARA', ['04 ## ## ## ##'], ['6900#']),
  city('FR', 'Marseille', 'PAC', ['04 ## ## ## ##'], ['130##']),
  city('FR', 'Toulouse', 'OCC', ['05 ## ## ## ##'], ['310##', '315##']),
  city('ES', 'Madrid', 'MD', ['91# ### ###'], ['280##']),
  city('ES', 'Barcelona', 'CT', ['93# ### ###'], ['080##']),
  city('ES', 'Valencia', 'VC', ['96# ### ###'], ['460##']),
  city('NL', 'Amsterdam', 'NH', ['020 %## ####'], ['10## @@']),
  city('NL', 'Rotterdam', 'ZH', ['010 %## ####'], ['30## @@']),
  city('NL', 'Utrecht', 'UT', ['030 %## ####'], ['35## @@']),
  city('AU', 'Sydney', 'NSW', ['(02) 9### ####', '(02) 8### ####'], ['20##', '21##']),
  city('AU', 'Melbourne', 'VIC', ['(03) 9### ####'], ['30##', '31##']),
  city('AU', 'Brisbane', 'QLD', ['(07) 3### ####'], ['40##', '41##']),
  city('AU', 'Perth', 'WA', ['(08) 9### ####'], ['60##', '61##']),
  city('IN', 'New Delhi', 'DL', ['011 2### ####', '011 4### ####'], ['110###']),
  city('IN', 'Mumbai', 'MH', ['022 2### ####', '022 6### ####'], ['400###']),
  city('IN', 'Bengaluru', 'KA', ['080 2### ####', '080 4### ####'], ['560###']),
  city('IN', 'Chennai', 'TN', ['044 2### ####'], ['600###']),
  city('JP', 'Tokyo', '13', ['03-####-####'], ['10#-####', '15#-####', '16#-####']),
  city('JP', 'Osaka', '27', ['06-####-####'], ['53#-####', '54#-####']),
  city('JP', 'Nagoya', '23', ['052-###-####'], ['45#-####', '46#-####']),
  city(
    'BR',
    'São Paulo',
    'SP',
    ['(11) 3###-####', '(11) 9####-####'],
    ['01###-###', '04###-###', '05###-###'],
  ),
  city('BR', 'Rio de Janeiro', 'RJ', ['(21) 2###-####', '(21) 9####-####'], ['20###-###', '22###-###']),
  city('BR', 'Belo Horizonte', 'MG', ['(31) 3###-####', '(31) 9####-####'], ['30###-###']),
  city('BR', 'Porto Alegre', 'RS', ['(51) 3###-####', '(51) 9####-####'], ['90###-###']),
  city('MX', 'Ciudad de México', 'DF', ['55 #### ####'], ['03###', '06###', '11###']),
  city('MX', 'Guadalajara', 'JC', ['33 #### ####'], ['44###']),
  city('MX', 'Monterrey', 'NL', ['81 #### ####'], ['64###']),
];

/** Returns the cities of a country. */
export function citiesOf(code: CountryCode): readonly City[] {
  return CITIES.filter((c) => c.country === code);
}
