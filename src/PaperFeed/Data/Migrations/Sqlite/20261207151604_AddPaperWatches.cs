using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperFeed.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PaperId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: true),
                    OldText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    NewText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    CommentId = table.Column<long>(type: "INTEGER", nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    PaperId = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CheckedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    ChangeId = table.Column<long>(type: "INTEGER", nullable: false),
                    DeliveryId = table.Column<long>(type: "INTEGER", nullable: false)
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
