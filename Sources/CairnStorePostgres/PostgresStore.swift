import CairnStoreSQL

/// PostgreSQL for the relational store (being written).
enum PostgresStore {}
