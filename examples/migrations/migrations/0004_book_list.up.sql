-- Version 3 is the Go migration in main.go: the files and the Go functions
-- form one sequence.
CREATE VIEW example_book_list AS
    SELECT b.id, b.title, b.pages, a.name AS author
    FROM example_books b
    JOIN example_authors a ON a.id = b.author_id;
