using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperFeed.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KeysetIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Papers_TrendingScore",
                table: "Papers");

            migrationBuilder.DropIndex(
                name: "IX_Papers_VoteCount_Upvotes",
                table: "Papers");

            migrationBuilder.CreateIndex(
                name: "IX_Papers_TrendingScore_Upvotes_Id",
                table: "Papers",
                columns: new[] { "TrendingScore", "Upvotes", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Papers_VoteCount_Upvotes_Id",
                table: "Papers",
                columns: new[] { "VoteCount", "Upvotes", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Papers_TrendingScore_Upvotes_Id",
                table: "Papers");

            migrationBuilder.DropIndex(
                name: "IX_Papers_VoteCount_Upvotes_Id",
                table: "Papers");

            migrationBuilder.CreateIndex(
                name: "IX_Papers_TrendingScore",
                table: "Papers",
                column: "TrendingScore");

            migrationBuilder.CreateIndex(
                name: "IX_Papers_VoteCount_Upvotes",
                table: "Papers",
                columns: new[] { "VoteCount", "Upvotes" });
        }
    }
}
