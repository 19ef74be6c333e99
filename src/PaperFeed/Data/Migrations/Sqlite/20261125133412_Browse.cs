using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperFeed.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Browse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "TrendingScore",
                table: "Papers",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.CreateTable(
                name: "PaperNeighbors",
                columns: table => new
                {
                    PaperId = table.Column<long>(type: "INTEGER", nullable: false),
                    NeighborId = table.Column<long>(type: "INTEGER", nullable: false),
                    Rank = table.Column<int>(type: "INTEGER", nullable: false),
                    Score = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaperNeighbors", x => new { x.PaperId, x.NeighborId });
                    table.ForeignKey(
                        name: "FK_PaperNeighbors_Papers_NeighborId",
                        column: x => x.NeighborId,
                        principalTable: "Papers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PaperNeighbors_Papers_PaperId",
                        column: x => x.PaperId,
                        principalTable: "Papers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Topics",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Phrases = table.Column<string>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Topics", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UpvoteSnapshots",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PaperId = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Upvotes = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UpvoteSnapshots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UpvoteSnapshots_Papers_PaperId",
                        column: x => x.PaperId,
                        principalTable: "Papers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PaperTopics",
                columns: table => new
                {
                    PaperId = table.Column<long>(type: "INTEGER", nullable: false),
                    TopicId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaperTopics", x => new { x.PaperId, x.TopicId });
                    table.ForeignKey(
                        name: "FK_PaperTopics_Papers_PaperId",
                        column: x => x.PaperId,
                        principalTable: "Papers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PaperTopics_Topics_TopicId",
                        column: x => x.TopicId,
                        principalTable: "Topics",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Papers_PublishedAt",
                table: "Papers",
                column: "PublishedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Papers_TrendingScore",
                table: "Papers",
                column: "TrendingScore");

            migrationBuilder.CreateIndex(
                name: "IX_Papers_Upvotes",
                table: "Papers",
                column: "Upvotes");

            migrationBuilder.CreateIndex(
                name: "IX_PaperNeighbors_NeighborId",
                table: "PaperNeighbors",
                column: "NeighborId");

            migrationBuilder.CreateIndex(
                name: "IX_PaperTopics_TopicId_PaperId",
                table: "PaperTopics",
                columns: new[] { "TopicId", "PaperId" });

            migrationBuilder.CreateIndex(
                name: "IX_Topics_Slug",
                table: "Topics",
                column: "Slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UpvoteSnapshots_At",
                table: "UpvoteSnapshots",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_UpvoteSnapshots_PaperId_At",
                table: "UpvoteSnapshots",
                columns: new[] { "PaperId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PaperNeighbors");

            migrationBuilder.DropTable(
                name: "PaperTopics");

            migrationBuilder.DropTable(
                name: "UpvoteSnapshots");

            migrationBuilder.DropTable(
                name: "Topics");

            migrationBuilder.DropIndex(
                name: "IX_Papers_PublishedAt",
                table: "Papers");

            migrationBuilder.DropIndex(
                name: "IX_Papers_TrendingScore",
                table: "Papers");

            migrationBuilder.DropIndex(
                name: "IX_Papers_Upvotes",
                table: "Papers");

            migrationBuilder.DropColumn(
                name: "TrendingScore",
                table: "Papers");
        }
    }
}
