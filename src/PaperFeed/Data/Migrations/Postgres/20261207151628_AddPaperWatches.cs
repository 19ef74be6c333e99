using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PaperFeed.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddPaperWatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PaperChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PaperId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: true),
                    OldText = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    NewText = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    CommentId = table.Column<long>(type: "bigint", nullable: true),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaperChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PaperChanges_Comments_CommentId",
                        column: x => x.CommentId,
                        principalTable: "Comments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PaperChanges_Papers_PaperId",
                        column: x => x.PaperId,
                        principalTable: "Papers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PaperWatches",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    PaperId = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CheckedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaperWatches", x => new { x.UserId, x.PaperId });
                    table.ForeignKey(
                        name: "FK_PaperWatches_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PaperWatches_Papers_PaperId",
                        column: x => x.PaperId,
                        principalTable: "Papers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WatchReports",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    ChangeId = table.Column<long>(type: "bigint", nullable: false),
                    DeliveryId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WatchReports", x => new { x.UserId, x.ChangeId });
                    table.ForeignKey(
                        name: "FK_WatchReports_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_WatchReports_PaperChanges_ChangeId",
                        column: x => x.ChangeId,
                        principalTable: "PaperChanges",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PaperChanges_At",
                table: "PaperChanges",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_PaperChanges_CommentId",
                table: "PaperChanges",
                column: "CommentId");

            migrationBuilder.CreateIndex(
                name: "IX_PaperChanges_PaperId_At",
                table: "PaperChanges",
                columns: new[] { "PaperId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_PaperWatches_PaperId",
                table: "PaperWatches",
                column: "PaperId");

            migrationBuilder.CreateIndex(
                name: "IX_WatchReports_ChangeId",
                table: "WatchReports",
                column: "ChangeId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PaperWatches");

            migrationBuilder.DropTable(
                name: "WatchReports");

            migrationBuilder.DropTable(
                name: "PaperChanges");
        }
    }
}
