-- Books, and a few rows: a migration may hold any statements, each run in
-- order in the migration's transaction.
CREATE TABLE example_books (
    id        INTEGER      NOT NULL PRIMARY KEY,
    author_id INTEGER      NOT NULL,
    title     VARCHAR(200) NOT NULL,
    CONSTRAINT example_books_author FOREIGN KEY (author_id) REFERENCES example_authors (id) ON DELETE CASCADE
);

INSERT INTO example_authors (id, name, born) VALUES
    (1, 'Ursula K. Le Guin', 1929),
    (2, 'Italo Calvino', 1923);
INSERT INTO example_books (id, author_id, title) VALUES
    (1, 1, 'The Dispossessed'),
    (2, 1, 'The Lathe of Heaven'),
    (3, 2, 'Invisible Cities; or, a semicolon in a string');
