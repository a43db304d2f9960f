DROP VIEW example_book_list;
