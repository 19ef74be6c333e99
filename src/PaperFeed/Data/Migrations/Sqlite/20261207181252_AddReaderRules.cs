using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperFeed.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddReaderRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ReaderRules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReaderRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReaderRules_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReaderRules_UserId_Kind_Value",
                table: "ReaderRules",
                columns: new[] { "UserId", "Kind", "Value" },
                unique: true);

            // One mute list per reader: an account holder's digest keywords become the account's mute rules (read by the
            // digest and the site's lists alike); account-less subscriptions keep their own keywords.
            migrationBuilder.Sql("""
                INSERT OR IGNORE INTO "ReaderRules" ("UserId", "Kind", "Value", "CreatedAt")
                SELECT DISTINCT s."UserId", 'MuteKeyword', substr(trim(k.value), 1, 300), strftime('%Y-%m-%d %H:%M:%f', 'now')
                FROM "Subscriptions" s, json_each(s."MuteKeywords") AS k
                WHERE s."UserId" IS NOT NULL AND trim(k.value) <> '';
                UPDATE "Subscriptions" SET "MuteKeywords" = '[]' WHERE "UserId" IS NOT NULL AND "MuteKeywords" <> '[]';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReaderRules");
        }
    }
}
