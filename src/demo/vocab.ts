// Word lists behind the demo data. Everything here is plain data; generators pick from it with a seeded Random.

/** A naming tradition: first names by gender and last names that go together. */
export type Culture = 'en' | 'es' | 'pt' | 'fr' | 'de' | 'nl' | 'in' | 'jp' | 'zh' | 'ar' | 'yo';

/** First and last names of one culture. */
export interface NamePool {
  readonly female: readonly string[];
  readonly male: readonly string[];
  readonly last: readonly string[];
}

/** About 150 first names and 150 last names, grouped by culture so a person's name is coherent. */
export const NAMES: Readonly<Record<Culture, NamePool>> = {
  en: {
    female: [
      'Emma',
      'Olivia',
      'Charlotte',
      'Amelia',
      'Grace',
      'Hannah',
      'Chloe',
      'Sophie',
      'Megan',
      'Abigail',
    ],
    male: ['James', 'Oliver', 'William', 'Jack', 'Henry', 'Thomas', 'Daniel', 'Ryan', 'Michael', 'Samuel'],
    last: [
      'Smith',
      'Johnson',
      'Williams',
      'Brown',
      'Taylor',
      'Wilson',
      'Davies',
      'Evans',
      'Thompson',
      'Walker',
      'Robinson',
      'Clarke',
      'Hughes',
      'Wright',
      'Murphy',
      "O'Brien",
      'Campbell',
      'Anderson',
    ],
  },
  es: {
    female: ['Lucía', 'Sofía', 'María', 'Valentina', 'Camila', 'Paula', 'Carmen', 'Elena'],
    male: ['Alejandro', 'Diego', 'Javier', 'Mateo', 'Santiago', 'Carlos', 'Pablo', 'Andrés'],
    last: [
      'García',
      'Martínez',
      'López',
      'Hernández',
      'González',
      'Rodríguez',
      'Sánchez',
      'Ramírez',
      'Torres',
      'Flores',
      'Díaz',
      'Moreno',
      'Jiménez',
      'Ruiz',
    ],
  },
  pt: {
    female: ['Ana', 'Beatriz', 'Larissa', 'Fernanda', 'Juliana', 'Gabriela', 'Mariana'],
    male: ['João', 'Lucas', 'Gabriel', 'Rafael', 'Thiago', 'Felipe', 'Bruno'],
    last: [
      'Silva',
      'Santos',
      'Oliveira',
      'Souza',
      'Pereira',
      'Costa',
      'Almeida',
      'Ferreira',
      'Carvalho',
      'Rodrigues',
      'Lima',
      'Gomes',
      'Ribeiro',
    ],
  },
  fr: {
    female: ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Juliette', 'Margaux'],
    male: ['Louis', 'Hugo', 'Gabriel', 'Arthur', 'Théo', 'Julien', 'Mathieu'],
    last: [
      'Martin',
      'Bernard',
      'Dubois',
      'Moreau',
      'Laurent',
      'Lefèvre',
      'Girard',
      'Fournier',
      'Rousseau',
      'Petit',
      'Durand',
      'Leroy',
      'Mercier',
    ],
  },
  de: {
    female: ['Anna', 'Lena', 'Katharina', 'Lea', 'Johanna', 'Sabine', 'Franziska'],
    male: ['Lukas', 'Felix', 'Jonas', 'Maximilian', 'Stefan', 'Tobias', 'Jürgen'],
    last: [
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Meyer',
      'Wagner',
      'Becker',
      'Hoffmann',
      'Schäfer',
      'Koch',
      'Richter',
      'Klein',
      'Wolf',
    ],
  },
  nl: {
    female: ['Sanne', 'Femke', 'Lotte', 'Anouk', 'Eva', 'Fleur'],
    male: ['Daan', 'Sem', 'Bram', 'Thijs', 'Ruben', 'Joost'],
    last: [
      'de Jong',
      'Jansen',
      'de Vries',
      'van den Berg',
      'Bakker',
      'Visser',
      'Smit',
      'Meijer',
      'de Boer',
      'Mulder',
      'de Groot',
      'Bos',
      'Vos',
    ],
  },
  in: {
    female: ['Priya', 'Ananya', 'Aditi', 'Kavya', 'Neha', 'Pooja', 'Divya', 'Lakshmi'],
    male: ['Arjun', 'Rohan', 'Vikram', 'Rahul', 'Aarav', 'Karthik', 'Sanjay', 'Amit'],
    last: [
      'Sharma',
      'Patel',
      'Singh',
      'Kumar',
      'Gupta',
      'Reddy',
      'Iyer',
      'Nair',
      'Mehta',
      'Banerjee',
      'Rao',
      'Desai',
      'Joshi',
      'Pillai',
      'Chatterjee',
    ],
  },
  jp: {
    female: ['Yuki', 'Haruka', 'Aoi', 'Sakura', 'Yui', 'Mei'],
    male: ['Haruto', 'Ren', 'Takumi', 'Kenji', 'Hiroshi', 'Daiki'],
    last: [
      'Sato',
      'Suzuki',
      'Takahashi',
      'Tanaka',
      'Watanabe',
      'Ito',
      'Yamamoto',
      'Nakamura',
      'Kobayashi',
      'Kato',
      'Yoshida',
      'Yamada',
      'Sasaki',
      'Matsumoto',
    ],
  },
  zh: {
    female: ['Mei', 'Xiu', 'Li Na', 'Jing', 'Hui', 'Yan'],
    male: ['Wei', 'Jun', 'Hao', 'Lei', 'Ming', 'Chen'],
    last: [
      'Wang',
      'Li',
      'Zhang',
      'Liu',
      'Chen',
      'Yang',
      'Huang',
      'Zhao',
      'Wu',
      'Zhou',
      'Xu',
      'Sun',
      'Ma',
      'Zhu',
    ],
  },
  ar: {
    female: ['Fatima', 'Layla', 'Amira', 'Noor', 'Yasmin', 'Mariam'],
    male: ['Omar', 'Youssef', 'Karim', 'Ahmed', 'Hassan', 'Tariq'],
    last: [
      'Haddad',
      'Khalil',
      'Mansour',
      'Nasser',
      'Saleh',
      'Farouk',
      'Aziz',
      'Rahman',
      'Hamdan',
      'Qureshi',
      'Abbas',
      'Darwish',
    ],
  },
  yo: {
    female: ['Adaeze', 'Chioma', 'Ngozi', 'Folake', 'Amara', 'Zainab'],
    male: ['Chinedu', 'Oluwaseun', 'Emeka', 'Tunde', 'Kwame', 'Kofi'],
    last: [
      'Okafor',
      'Adeyemi',
      'Okonkwo',
      'Mensah',
      'Eze',
      'Balogun',
      'Owusu',
      'Nwosu',
      'Adebayo',
      'Boateng',
      'Obi',
      'Asante',
      'Danjuma',
    ],
  },
};

/** How street addresses are written in a country. */
export type StreetStyle = 'en' | 'de' | 'nl' | 'fr' | 'es' | 'pt' | 'in' | 'jp';

/** Street names, and the street types or suffixes that go with them, per addressing style. */
export const STREETS: Readonly<
  Record<StreetStyle, { readonly names: readonly string[]; readonly types: readonly string[] }>
> = {
  en: {
    names: [
      'Maple',
      'Oak',
      'Cedar',
      'Elm',
      'Park',
      'Washington',
      'Lake',
      'Hill',
      'Church',
      'Victoria',
      'King',
      'Queen',
    ],
    types: ['Street', 'Avenue', 'Road', 'Lane', 'Drive', 'Boulevard', 'Court', 'Place', 'Way'],
  },
  de: {
    names: ['Haupt', 'Bahnhof', 'Garten', 'Schiller', 'Goethe', 'Linden', 'Kirch', 'Mozart', 'Rosen'],
    types: ['straße', 'weg', 'allee', 'platz', 'ring'],
  },
  nl: {
    names: ['Keizers', 'Heren', 'Prinsen', 'Kerk', 'Molen', 'Dorps', 'Stations', 'Beuken'],
    types: ['gracht', 'straat', 'laan', 'weg', 'plein'],
  },
  fr: {
    names: [
      'de la Paix',
      'Victor Hugo',
      'des Lilas',
      'Jean Jaurès',
      'du Général Leclerc',
      'de la République',
    ],
    types: ['rue', 'avenue', 'boulevard', 'place', 'allée'],
  },
  es: {
    names: ['Mayor', 'de Alcalá', 'Gran Vía', 'de la Constitución', 'Reforma', 'Juárez', 'Hidalgo'],
    types: ['Calle', 'Avenida', 'Paseo', 'Plaza'],
  },
  pt: {
    names: ['Augusta', 'das Flores', 'Paulista', 'Sete de Setembro', 'Tiradentes', 'da Liberdade'],
    types: ['Rua', 'Avenida', 'Travessa', 'Alameda'],
  },
  in: {
    names: ['MG', 'Nehru', 'Gandhi', 'Station', 'Temple', 'Lake View', 'Park'],
    types: ['Road', 'Marg', 'Nagar', 'Street', 'Layout'],
  },
  jp: {
    names: ['Marunouchi', 'Shibuya', 'Umeda', 'Namba', 'Ginza', 'Shinjuku', 'Sakae'],
    types: ['chome'],
  },
};

/** Products of the demo online store, with their list price in US cents. */
export const PRODUCTS: readonly (readonly [string, number])[] = [
  ['Ceramic Pour-Over Coffee Set', 4900],
  ['Merino Wool Crew Sweater', 8900],
  ['Waterproof Hiking Boots', 14500],
  ['Noise-Cancelling Headphones', 24900],
  ['Cast Iron Skillet 12"', 3900],
  ['Bamboo Cutting Board', 2400],
  ['Linen Duvet Cover', 11900],
  ['Stainless Steel Water Bottle', 2900],
  ['Wireless Charging Pad', 3400],
  ['Yoga Mat Pro', 6800],
  ['Leather Weekender Bag', 21900],
  ['Smart LED Desk Lamp', 5900],
  ['Organic Cotton Bath Towel Set', 6400],
  ['Espresso Machine Mini', 32900],
  ['Trail Running Jacket', 13900],
  ['Hand-Thrown Stoneware Mug', 1800],
  ['Mechanical Keyboard', 12900],
  ['Chef Knife 8"', 8900],
  ['Wool Blend Throw Blanket', 7400],
  ['Portable Bluetooth Speaker', 7900],
  ['Recycled Canvas Backpack', 5900],
  ['Sunglasses Polarized', 9900],
  ['Indoor Herb Garden Kit', 4400],
  ['Silk Pillowcase', 4900],
];

/** A department of the demo company, its home region and the job titles at each level. */
export interface DepartmentSpec {
  readonly name: string;
  readonly region: 'NA' | 'EMEA' | 'APAC' | 'LATAM';
  /** Planned headcount, head included. */
  readonly size: number;
  readonly head: string;
  readonly manager: string;
  readonly staff: readonly string[];
  /** Base annual salary in US dollars for staff; heads and managers earn multiples of it. */
  readonly salary: number;
}

/** The twelve departments of the demo company; sizes add up to 300 employees. */
export const DEPARTMENTS: readonly DepartmentSpec[] = [
  {
    name: 'Executive Office',
    region: 'NA',
    size: 4,
    head: 'Chief Executive Officer',
    manager: 'Chief of Staff',
    staff: ['Executive Assistant'],
    salary: 70000,
  },
  {
    name: 'Engineering',
    region: 'NA',
    size: 70,
    head: 'VP of Engineering',
    manager: 'Engineering Manager',
    staff: [
      'Software Engineer',
      'Senior Software Engineer',
      'Staff Engineer',
      'QA Engineer',
      'Site Reliability Engineer',
    ],
    salary: 115000,
  },
  {
    name: 'Product',
    region: 'NA',
    size: 16,
    head: 'VP of Product',
    manager: 'Group Product Manager',
    staff: ['Product Manager', 'Product Designer', 'UX Researcher'],
    salary: 110000,
  },
  {
    name: 'Data & Analytics',
    region: 'EMEA',
    size: 16,
    head: 'Head of Data',
    manager: 'Analytics Manager',
    staff: ['Data Analyst', 'Data Engineer', 'Data Scientist'],
    salary: 105000,
  },
  {
    name: 'Sales',
    region: 'NA',
    size: 50,
    head: 'VP of Sales',
    manager: 'Sales Manager',
    staff: ['Account Executive', 'Sales Development Representative', 'Solutions Consultant'],
    salary: 80000,
  },
  {
    name: 'Marketing',
    region: 'EMEA',
    size: 20,
    head: 'Chief Marketing Officer',
    manager: 'Marketing Manager',
    staff: ['Content Strategist', 'Growth Marketer', 'Brand Designer'],
    salary: 85000,
  },
  {
    name: 'Customer Support',
    region: 'APAC',
    size: 46,
    head: 'Director of Customer Support',
    manager: 'Support Team Lead',
    staff: ['Support Specialist', 'Senior Support Specialist'],
    salary: 52000,
  },
  {
    name: 'Finance',
    region: 'NA',
    size: 16,
    head: 'Chief Financial Officer',
    manager: 'Finance Manager',
    staff: ['Accountant', 'Financial Analyst', 'Payroll Specialist'],
    salary: 90000,
  },
  {
    name: 'Human Resources',
    region: 'EMEA',
    size: 12,
    head: 'Chief People Officer',
    manager: 'HR Business Partner',
    staff: ['Recruiter', 'HR Generalist'],
    salary: 75000,
  },
  {
    name: 'Legal',
    region: 'NA',
    size: 7,
    head: 'General Counsel',
    manager: 'Senior Counsel',
    staff: ['Corporate Counsel', 'Paralegal'],
    salary: 120000,
  },
  {
    name: 'Operations',
    region: 'LATAM',
    size: 30,
    head: 'VP of Operations',
    manager: 'Fulfilment Manager',
    staff: ['Logistics Coordinator', 'Warehouse Associate', 'Procurement Specialist'],
    salary: 55000,
  },
  {
    name: 'IT',
    region: 'APAC',
    size: 13,
    head: 'Head of IT',
    manager: 'IT Manager',
    staff: ['Systems Administrator', 'IT Support Technician', 'Security Analyst'],
    salary: 85000,
  },
];

/** Free-mail domains used worldwide for personal email addresses. */
export const MAIL_DOMAINS: readonly string[] = [
  'gmail.com',
  'outlook.com',
  'yahoo.com',
  'hotmail.com',
  'icloud.com',
  'proton.me',
];

/** The demo company's mail domain (a reserved `.example` name, so no real mailbox is ever named). */
export const COMPANY_DOMAIN = 'halcyon-goods.example';
