DROP TABLE example_authors;
