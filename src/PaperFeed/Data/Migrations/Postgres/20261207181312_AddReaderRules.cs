using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PaperFeed.Data.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Value = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                INSERT INTO "ReaderRules" ("UserId", "Kind", "Value", "CreatedAt")
                SELECT DISTINCT s."UserId", 'MuteKeyword', left(btrim(k), 300), now()
                FROM "Subscriptions" s, unnest(s."MuteKeywords") AS k
                WHERE s."UserId" IS NOT NULL AND btrim(k) <> ''
                ON CONFLICT DO NOTHING;
                UPDATE "Subscriptions" SET "MuteKeywords" = '{}' WHERE "UserId" IS NOT NULL AND cardinality("MuteKeywords") > 0;
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
