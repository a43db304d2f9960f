DROP TABLE example_books;
DELETE FROM example_authors;
