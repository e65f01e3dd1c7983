// Small value dictionaries behind the built-in name, country and gender identifiers.

// biome-ignore format: compact list
/** Common given names across English, Spanish, Portuguese, French, German, Italian, Indian, Chinese, Arabic and African usage. */
export const FIRST_NAMES: readonly string[] = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth',
  'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Daniel', 'Emily', 'Matthew', 'Olivia', 'Anthony', 'Emma', 'Mark', 'Sophia', 'Paul', 'Ava',
  'Steven', 'Isabella', 'Andrew', 'Mia', 'Kevin', 'Charlotte', 'Brian', 'Amelia', 'George', 'Grace',
  'Oliver', 'Harry', 'Jack', 'Noah', 'Liam', 'Lucas', 'Ethan', 'Chloe', 'Lily', 'Hannah',
  'Jose', 'Maria', 'Juan', 'Carmen', 'Luis', 'Ana', 'Carlos', 'Lucia', 'Javier', 'Sofia',
  'Joao', 'Francisca', 'Pedro', 'Beatriz', 'Pierre', 'Camille', 'Louis', 'Chloé', 'Hugo', 'Léa',
  'Hans', 'Anna', 'Lukas', 'Lena', 'Felix', 'Marie', 'Giuseppe', 'Giulia', 'Francesco', 'Chiara',
  'Aarav', 'Priya', 'Rahul', 'Ananya', 'Vikram', 'Divya', 'Wei', 'Li', 'Ming', 'Xiu',
  'Hiroshi', 'Yuki', 'Mohammed', 'Fatima', 'Ahmed', 'Aisha', 'Omar', 'Layla', 'Kwame', 'Amara',
  'Chinedu', 'Ngozi', 'Tariq', 'Zainab', 'Dmitri', 'Olga', 'Ivan', 'Natalia', 'Sven', 'Ingrid',
];

// biome-ignore format: compact list
/** Common family names across the same cultures as {@link FIRST_NAMES}. */
export const LAST_NAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Patel', 'Shah', 'Singh', 'Kumar', 'Sharma', 'Gupta', 'Khan', 'Ali', 'Hussain', 'Rahman',
  'Wang', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Kim', 'Park',
  'Sato', 'Suzuki', 'Tanaka', 'Watanabe', 'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer',
  'Dubois', 'Bernard', 'Durand', 'Lefebvre', 'Moreau', 'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi',
  'Silva', 'Santos', 'Oliveira', 'Souza', 'Pereira', 'Fernandes', 'Okafor', 'Mensah', 'Ivanov', 'Kowalski',
  'Jansen', 'De Vries', 'Peeters', 'Andersson', 'Johansson', 'Nielsen', 'Hansen', 'Murphy', "O'Brien", 'Kelly',
];

// biome-ignore format: compact list
/** English names of common countries, with frequent alternative spellings. */
export const COUNTRY_NAMES: readonly string[] = [
  'Argentina', 'Australia', 'Austria', 'Bangladesh', 'Belgium', 'Brazil', 'Bulgaria', 'Canada', 'Chile', 'China',
  'Colombia', 'Croatia', 'Czech Republic', 'Czechia', 'Denmark', 'Egypt', 'Estonia', 'Ethiopia', 'Finland', 'France',
  'Germany', 'Ghana', 'Greece', 'Hong Kong', 'Hungary', 'Iceland', 'India', 'Indonesia', 'Iran', 'Iraq',
  'Ireland', 'Israel', 'Italy', 'Japan', 'Kenya', 'Latvia', 'Lithuania', 'Luxembourg', 'Malaysia', 'Mexico',
  'Morocco', 'Netherlands', 'New Zealand', 'Nigeria', 'Norway', 'Pakistan', 'Peru', 'Philippines', 'Poland', 'Portugal',
  'Romania', 'Russia', 'Saudi Arabia', 'Singapore', 'Slovakia', 'Slovenia', 'South Africa', 'South Korea', 'Korea', 'Spain',
  'Sweden', 'Switzerland', 'Taiwan', 'Thailand', 'Turkey', 'Türkiye', 'Ukraine', 'United Arab Emirates', 'United Kingdom', 'United States',
  'United States of America', 'USA', 'UK', 'Uruguay', 'Venezuela', 'Vietnam', 'Viet Nam',
];

// biome-ignore format: compact list
/** ISO 3166-1 alpha-2 codes of the countries in {@link COUNTRY_NAMES} and other common ones. */
export const COUNTRY_CODES_ALPHA2: readonly string[] = [
  'AR', 'AT', 'AU', 'BD', 'BE', 'BG', 'BR', 'CA', 'CH', 'CL', 'CN', 'CO', 'CZ', 'DE', 'DK', 'EE', 'EG', 'ES',
  'ET', 'FI', 'FR', 'GB', 'GH', 'GR', 'HK', 'HR', 'HU', 'ID', 'IE', 'IL', 'IN', 'IQ', 'IR', 'IS', 'IT', 'JP',
  'KE', 'KR', 'LT', 'LU', 'LV', 'MA', 'MX', 'MY', 'NG', 'NL', 'NO', 'NZ', 'PE', 'PH', 'PK', 'PL', 'PT', 'RO',
  'RU', 'SA', 'SE', 'SG', 'SI', 'SK', 'TH', 'TR', 'TW', 'UA', 'AE', 'US', 'UY', 'VE', 'VN', 'ZA',
];

// biome-ignore format: compact list
/** ISO 3166-1 alpha-3 codes of the same countries. */
export const COUNTRY_CODES_ALPHA3: readonly string[] = [
  'ARG', 'AUT', 'AUS', 'BGD', 'BEL', 'BGR', 'BRA', 'CAN', 'CHE', 'CHL', 'CHN', 'COL', 'CZE', 'DEU', 'DNK', 'EST',
  'EGY', 'ESP', 'ETH', 'FIN', 'FRA', 'GBR', 'GHA', 'GRC', 'HKG', 'HRV', 'HUN', 'IDN', 'IRL', 'ISR', 'IND', 'IRQ',
  'IRN', 'ISL', 'ITA', 'JPN', 'KEN', 'KOR', 'LTU', 'LUX', 'LVA', 'MAR', 'MEX', 'MYS', 'NGA', 'NLD', 'NOR', 'NZL',
  'PER', 'PHL', 'PAK', 'POL', 'PRT', 'ROU', 'RUS', 'SAU', 'SWE', 'SGP', 'SVN', 'SVK', 'THA', 'TUR', 'TWN', 'UKR',
  'ARE', 'USA', 'URY', 'VEN', 'VNM', 'ZAF',
];

// biome-ignore format: compact list
/** Gender values as systems commonly record them. */
export const GENDERS: readonly string[] = [
  'male', 'female', 'm', 'f', 'man', 'woman', 'non-binary', 'nonbinary', 'non binary', 'x', 'other',
  'unknown', 'prefer not to say', 'undisclosed', 'intersex', 'transgender', 'genderqueer', 'agender',
];
