// Word lists behind the demo data. Everything here is plain data; generators pick from it with a seeded Random.

/** Splits a comma-separated word list. */
const list = (words: string): readonly string[] => words.split(', ');

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
    female: list('Emma, Olivia, Charlotte, Amelia, Grace, Hannah, Chloe, Sophie, Megan, Abigail'),
    male: list('James, Oliver, William, Jack, Henry, Thomas, Daniel, Ryan, Michael, Samuel'),
    last: list(
      'Smith, Johnson, Williams, Brown, Taylor, Wilson, Davies, Evans, Thompson, Walker, Robinson, ' +
        "Clarke, Hughes, Wright, Murphy, O'Brien, Campbell, Anderson",
    ),
  },
  es: {
    female: list('Lucía, Sofía, María, Valentina, Camila, Paula, Carmen, Elena'),
    male: list('Alejandro, Diego, Javier, Mateo, Santiago, Carlos, Pablo, Andrés'),
    last: list(
      'García, Martínez, López, Hernández, González, Rodríguez, Sánchez, Ramírez, Torres, Flores, Díaz, ' +
        'Moreno, Jiménez, Ruiz',
    ),
  },
  pt: {
    female: list('Ana, Beatriz, Larissa, Fernanda, Juliana, Gabriela, Mariana'),
    male: list('João, Lucas, Gabriel, Rafael, Thiago, Felipe, Bruno'),
    last: list(
      'Silva, Santos, Oliveira, Souza, Pereira, Costa, Almeida, Ferreira, Carvalho, Rodrigues, Lima, ' +
        'Gomes, Ribeiro',
    ),
  },
  fr: {
    female: list('Camille, Léa, Manon, Chloé, Inès, Juliette, Margaux'),
    male: list('Louis, Hugo, Gabriel, Arthur, Théo, Julien, Mathieu'),
    last: list(
      'Martin, Bernard, Dubois, Moreau, Laurent, Lefèvre, Girard, Fournier, Rousseau, Petit, Durand, ' +
        'Leroy, Mercier',
    ),
  },
  de: {
    female: list('Anna, Lena, Katharina, Lea, Johanna, Sabine, Franziska'),
    male: list('Lukas, Felix, Jonas, Maximilian, Stefan, Tobias, Jürgen'),
    last: list(
      'Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Hoffmann, Schäfer, Koch, ' +
        'Richter, Klein, Wolf',
    ),
  },
  nl: {
    female: list('Sanne, Femke, Lotte, Anouk, Eva, Fleur'),
    male: list('Daan, Sem, Bram, Thijs, Ruben, Joost'),
    last: list(
      'de Jong, Jansen, de Vries, van den Berg, Bakker, Visser, Smit, Meijer, de Boer, Mulder, de Groot, ' +
        'Bos, Vos',
    ),
  },
  in: {
    female: list('Priya, Ananya, Aditi, Kavya, Neha, Pooja, Divya, Lakshmi'),
    male: list('Arjun, Rohan, Vikram, Rahul, Aarav, Karthik, Sanjay, Amit'),
    last: list(
      'Sharma, Patel, Singh, Kumar, Gupta, Reddy, Iyer, Nair, Mehta, Banerjee, Rao, Desai, Joshi, ' +
        'Pillai, Chatterjee',
    ),
  },
  jp: {
    female: list('Yuki, Haruka, Aoi, Sakura, Yui, Mei'),
    male: list('Haruto, Ren, Takumi, Kenji, Hiroshi, Daiki'),
    last: list(
      'Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Yamamoto, Nakamura, Kobayashi, Kato, Yoshida, ' +
        'Yamada, Sasaki, Matsumoto',
    ),
  },
  zh: {
    female: list('Mei, Xiu, Li Na, Jing, Hui, Yan'),
    male: list('Wei, Jun, Hao, Lei, Ming, Chen'),
    last: list('Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu'),
  },
  ar: {
    female: list('Fatima, Layla, Amira, Noor, Yasmin, Mariam'),
    male: list('Omar, Youssef, Karim, Ahmed, Hassan, Tariq'),
    last: list(
      'Haddad, Khalil, Mansour, Nasser, Saleh, Farouk, Aziz, Rahman, Hamdan, Qureshi, Abbas, Darwish',
    ),
  },
  yo: {
    female: list('Adaeze, Chioma, Ngozi, Folake, Amara, Zainab'),
    male: list('Chinedu, Oluwaseun, Emeka, Tunde, Kwame, Kofi'),
    last: list(
      'Okafor, Adeyemi, Okonkwo, Mensah, Eze, Balogun, Owusu, Nwosu, Adebayo, Boateng, Obi, Asante, ' +
        'Danjuma',
    ),
  },
};

/** How street addresses are written in a country. */
export type StreetStyle = 'en' | 'de' | 'nl' | 'fr' | 'es' | 'pt' | 'in' | 'jp';

/** Street names, and the street types or suffixes that go with them, per addressing style. */
export const STREETS: Readonly<
  Record<StreetStyle, { readonly names: readonly string[]; readonly types: readonly string[] }>
> = {
  en: {
    names: list('Maple, Oak, Cedar, Elm, Park, Washington, Lake, Hill, Church, Victoria, King, Queen'),
    types: list('Street, Avenue, Road, Lane, Drive, Boulevard, Court, Place, Way'),
  },
  de: {
    names: list('Haupt, Bahnhof, Garten, Schiller, Goethe, Linden, Kirch, Mozart, Rosen'),
    types: list('straße, weg, allee, platz, ring'),
  },
  nl: {
    names: list('Keizers, Heren, Prinsen, Kerk, Molen, Dorps, Stations, Beuken'),
    types: list('gracht, straat, laan, weg, plein'),
  },
  fr: {
    names: list('de la Paix, Victor Hugo, des Lilas, Jean Jaurès, du Général Leclerc, de la République'),
    types: list('rue, avenue, boulevard, place, allée'),
  },
  es: {
    names: list('Mayor, de Alcalá, Gran Vía, de la Constitución, Reforma, Juárez, Hidalgo'),
    types: list('Calle, Avenida, Paseo, Plaza'),
  },
  pt: {
    names: list('Augusta, das Flores, Paulista, Sete de Setembro, Tiradentes, da Liberdade'),
    types: list('Rua, Avenida, Travessa, Alameda'),
  },
  in: {
    names: list('MG, Nehru, Gandhi, Station, Temple, Lake View, Park'),
    types: list('Road, Marg, Nagar, Street, Layout'),
  },
  jp: {
    names: list('Marunouchi, Shibuya, Umeda, Namba, Ginza, Shinjuku, Sakae'),
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
  ['Polarized Sunglasses', 9900],
  ['Indoor Herb Garden Kit', 4400],
  ['Silk Pillowcase', 4900],
];

/** A department of the demo company, its home region and the job titles at each level. */
export interface DepartmentSpec {
  readonly name: string;
  readonly region: 'NA' | 'EMEA' | 'APAC' | 'LATAM';
  /** Planned headcount, head included. */
  readonly size: number;
  /** Base annual salary in US dollars for staff; heads and managers earn multiples of it. */
  readonly salary: number;
  readonly head: string;
  readonly manager: string;
  readonly staff: readonly string[];
}

const department = (
  name: string,
  region: DepartmentSpec['region'],
  size: number,
  salary: number,
  [head, manager, staff]: readonly [string, string, string],
): DepartmentSpec => ({ name, region, size, salary, head, manager, staff: list(staff) });

/** The twelve departments of the demo company, with head, manager and staff titles; sizes add up to 300. */
export const DEPARTMENTS: readonly DepartmentSpec[] = [
  department('Executive Office', 'NA', 4, 70000, [
    'Chief Executive Officer',
    'Chief of Staff',
    'Executive Assistant',
  ]),
  department('Engineering', 'NA', 70, 115000, [
    'VP of Engineering',
    'Engineering Manager',
    'Software Engineer, Senior Software Engineer, Staff Engineer, QA Engineer, Site Reliability Engineer',
  ]),
  department('Product', 'NA', 16, 110000, [
    'VP of Product',
    'Group Product Manager',
    'Product Manager, Product Designer, UX Researcher',
  ]),
  department('Data & Analytics', 'EMEA', 16, 105000, [
    'Head of Data',
    'Analytics Manager',
    'Data Analyst, Data Engineer, Data Scientist',
  ]),
  department('Sales', 'NA', 50, 80000, [
    'VP of Sales',
    'Sales Manager',
    'Account Executive, Sales Development Representative, Solutions Consultant',
  ]),
  department('Marketing', 'EMEA', 20, 85000, [
    'Chief Marketing Officer',
    'Marketing Manager',
    'Content Strategist, Growth Marketer, Brand Designer',
  ]),
  department('Customer Support', 'APAC', 46, 52000, [
    'Director of Customer Support',
    'Support Team Lead',
    'Support Specialist, Senior Support Specialist',
  ]),
  department('Finance', 'NA', 16, 90000, [
    'Chief Financial Officer',
    'Finance Manager',
    'Accountant, Financial Analyst, Payroll Specialist',
  ]),
  department('Human Resources', 'EMEA', 12, 75000, [
    'Chief People Officer',
    'HR Business Partner',
    'Recruiter, HR Generalist',
  ]),
  department('Legal', 'NA', 7, 120000, ['General Counsel', 'Senior Counsel', 'Corporate Counsel, Paralegal']),
  department('Operations', 'LATAM', 30, 55000, [
    'VP of Operations',
    'Fulfilment Manager',
    'Logistics Coordinator, Warehouse Associate, Procurement Specialist',
  ]),
  department('IT', 'APAC', 13, 85000, [
    'Head of IT',
    'IT Manager',
    'Systems Administrator, IT Support Technician, Security Analyst',
  ]),
];

/** Free-mail domains used worldwide for personal email addresses. */
export const MAIL_DOMAINS: readonly string[] = list(
  'gmail.com, outlook.com, yahoo.com, hotmail.com, icloud.com, proton.me',
);

/** The demo company's mail domain (a reserved `.example` name, so no real mailbox is ever named). */
export const COMPANY_DOMAIN = 'halcyon-goods.example';
