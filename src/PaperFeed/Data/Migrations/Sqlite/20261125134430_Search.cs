using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperFeed.Data.Migrations.Sqlite
{
    /// <summary>
    /// Full-text search: an FTS5 index over Papers (external content: it stores only the index, reading the text
    /// from Papers), kept in sync by triggers. Not part of the EF model, so no snapshot change.
    /// NOTE: a later migration that makes EF rebuild the Papers table drops these triggers — recreate them there.
    /// </summary>
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Column names match Papers' (SQLite names are case-insensitive), as external content requires.
            // Authors is JSON text there; the tokenizer sees only the names. Porter stems like PostgreSQL's 'english'.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "PaperSearch" USING fts5(
                    title, authors, abstract,
                    content='Papers', content_rowid='Id',
                    tokenize='porter unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Papers_search_insert" AFTER INSERT ON "Papers" BEGIN
                    INSERT INTO "PaperSearch"(rowid, title, authors, abstract) VALUES (new."Id", new."Title", new."Authors", new."Abstract");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Papers_search_delete" AFTER DELETE ON "Papers" BEGIN
                    INSERT INTO "PaperSearch"("PaperSearch", rowid, title, authors, abstract) VALUES ('delete', old."Id", old."Title", old."Authors", old."Abstract");
                END;
                """);
            // Only the indexed columns: upvote and trending updates leave the index alone.
            migrationBuilder.Sql("""
                CREATE TRIGGER "Papers_search_update" AFTER UPDATE OF "Title", "Authors", "Abstract" ON "Papers" BEGIN
                    INSERT INTO "PaperSearch"("PaperSearch", rowid, title, authors, abstract) VALUES ('delete', old."Id", old."Title", old."Authors", old."Abstract");
                    INSERT INTO "PaperSearch"(rowid, title, authors, abstract) VALUES (new."Id", new."Title", new."Authors", new."Abstract");
                END;
                """);
            migrationBuilder.Sql("""INSERT INTO "PaperSearch"("PaperSearch") VALUES ('rebuild');""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "Papers_search_update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "Papers_search_delete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "Papers_search_insert";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "PaperSearch";""");
        }
    }
}
