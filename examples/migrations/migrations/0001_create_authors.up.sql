-- Authors. The SQL is portable: it runs on SQLite, PostgreSQL and MySQL/MariaDB.
CREATE TABLE example_authors (
    id   INTEGER      NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    born INTEGER
);
CREATE UNIQUE INDEX example_authors_name ON example_authors (name);
