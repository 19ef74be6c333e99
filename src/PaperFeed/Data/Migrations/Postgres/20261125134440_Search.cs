using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperFeed.Data.Migrations.Postgres
{
    /// <summary>
    /// Full-text search: a stored, weighted tsvector (A title, B authors, C abstract) with a GIN index.
    /// Not part of the EF model (EF never reads or writes it), so no snapshot change.
    /// </summary>
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // array_to_string is only STABLE, which a generated column refuses; joining text is immutable in fact.
            migrationBuilder.Sql("""
                CREATE FUNCTION paper_authors_text(authors text[]) RETURNS text
                    LANGUAGE sql IMMUTABLE PARALLEL SAFE
                    RETURN array_to_string(authors, ' ');
                """);
            // Authors use 'simple' (names are not stemmed), title and abstract 'english'.
            migrationBuilder.Sql("""
                ALTER TABLE "Papers" ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', coalesce("Title", '')), 'A') ||
                    setweight(to_tsvector('simple', coalesce(paper_authors_text("Authors"), '')), 'B') ||
                    setweight(to_tsvector('english', coalesce("Abstract", '')), 'C')) STORED;
                """);
            migrationBuilder.Sql("""CREATE INDEX "IX_Papers_search_vector" ON "Papers" USING GIN (search_vector);""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_Papers_search_vector";""");
            migrationBuilder.Sql("""ALTER TABLE "Papers" DROP COLUMN IF EXISTS search_vector;""");
            migrationBuilder.Sql("""DROP FUNCTION IF EXISTS paper_authors_text(text[]);""");
        }
    }
}
