//! Word lists for company and people names. Combinations give tens of thousands of distinct
//! companies, so even a 10,000-client book rarely repeats a name.

/// First halves of company names.
pub(super) const NAME_HEADS: &[&str] = &[
    "Blue", "North", "Silver", "Bright", "Iron", "Green", "Red", "Clear", "Stone", "Swift", "Sun", "Oak", "Pine",
    "River", "Summit", "Cedar", "Maple", "Granite", "Harbor", "Golden", "Crystal", "Falcon", "Eagle", "Lake", "Cloud",
    "Star", "Wave", "True", "Prime", "Nova", "Apex", "Atlas", "Beacon", "Crest", "Delta", "Echo", "Frontier",
    "Horizon", "Keystone", "Lumen",
];

/// Second halves of company names.
pub(super) const NAME_TAILS: &[&str] = &[
    "stone", "field", "bridge", "point", "wood", "gate", "line", "path", "spring", "view", "works", "forge", "light",
    "peak", "ridge", "shore", "vale", "well", "wind", "brook", "crest", "haven", "mark", "port", "way", "dale", "ford",
    "mont", "side", "stack",
];

/// Third words of company names.
pub(super) const NAME_KINDS: &[&str] = &[
    "Analytics",
    "Systems",
    "Health",
    "Logistics",
    "Labs",
    "Capital",
    "Foods",
    "Energy",
    "Media",
    "Retail",
    "Robotics",
    "Software",
    "Partners",
    "Manufacturing",
    "Learning",
    "Travel",
    "Insurance",
    "Biotech",
    "Networks",
    "Holdings",
    "Studios",
    "Supply",
    "Clinics",
    "Motors",
    "Realty",
    "Telecom",
    "Payments",
    "Security",
    "Consulting",
    "Outfitters",
];

/// Legal suffixes for `company_name`.
pub(super) const LEGAL_SUFFIXES: &[&str] = &["Inc.", "LLC", "Ltd.", "Corp.", "GmbH", "S.A.", "Group"];

/// Industries, with a weight: more software and services than government.
pub(super) const INDUSTRIES: &[(&str, f64)] = &[
    ("Software", 0.16),
    ("Financial Services", 0.12),
    ("Healthcare", 0.11),
    ("Retail", 0.09),
    ("Manufacturing", 0.09),
    ("Education", 0.07),
    ("Logistics", 0.07),
    ("Media", 0.06),
    ("Professional Services", 0.07),
    ("Energy", 0.04),
    ("Hospitality", 0.04),
    ("Real Estate", 0.03),
    ("Telecommunications", 0.03),
    ("Government", 0.02),
];

/// The customer-success managers who own accounts.
pub(super) const CSMS: &[&str] = &[
    "Avery Chen",
    "Jordan Patel",
    "Sam Okafor",
    "Riley Novak",
    "Morgan Silva",
    "Casey Lindqvist",
];

/// Contact first names (ASCII, so emails stay plain).
pub(super) const FIRST_NAMES: &[&str] = &[
    "Alex", "Maria", "James", "Priya", "Chen", "Fatima", "Lucas", "Emma", "Noah", "Olivia", "Mateo", "Aisha", "Daniel",
    "Sofia", "Kenji", "Grace", "Omar", "Hannah", "Ivan", "Leila", "Ethan", "Zoe", "Marcus", "Nina", "Diego", "Sara",
    "Tom", "Yuki", "Ben", "Amara",
];

/// Contact last names.
pub(super) const LAST_NAMES: &[&str] = &[
    "Smith", "Garcia", "Nguyen", "Kim", "Johnson", "Muller", "Rossi", "Khan", "Brown", "Lopez", "Wang", "Silva",
    "Martin", "Cohen", "Ivanova", "Tanaka", "Okoro", "Walker", "Hughes", "Costa", "Berg", "Novak", "Reyes", "Larsen",
    "Das", "Murphy", "Schmidt", "Dubois", "Ali", "Evans",
];
