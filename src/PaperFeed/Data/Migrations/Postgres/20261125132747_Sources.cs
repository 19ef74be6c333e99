using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PaperFeed.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Sources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "BackfillLastDay",
                table: "Sources",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "BackfillNextDay",
                table: "Sources",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Curated",
                table: "Sources",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "UserAdded",
                table: "Sources",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<double>(
                name: "UsualPaperCount",
                table: "Sources",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Hidden",
                table: "Papers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "AnnounceType",
                table: "Listings",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "HostThrottles",
                columns: table => new
                {
                    Host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    NextAllowedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HostThrottles", x => x.Host);
                });

            migrationBuilder.CreateTable(
                name: "HttpValidators",
                columns: table => new
                {
                    Url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    ETag = table.Column<string>(type: "text", nullable: true),
                    LastModified = table.Column<string>(type: "text", nullable: true),
                    CheckedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HttpValidators", x => x.Url);
                });

            migrationBuilder.CreateTable(
                name: "PaperSources",
                columns: table => new
                {
                    PaperId = table.Column<long>(type: "bigint", nullable: false),
                    SourceId = table.Column<int>(type: "integer", nullable: false),
                    FirstSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaperSources", x => new { x.PaperId, x.SourceId });
                    table.ForeignKey(
                        name: "FK_PaperSources_Papers_PaperId",
                        column: x => x.PaperId,
                        principalTable: "Papers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PaperSources_Sources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "Sources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Papers_Doi",
                table: "Papers",
                column: "Doi");

            migrationBuilder.CreateIndex(
                name: "IX_PaperSources_SourceId",
                table: "PaperSources",
                column: "SourceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HostThrottles");

            migrationBuilder.DropTable(
                name: "HttpValidators");

            migrationBuilder.DropTable(
                name: "PaperSources");

            migrationBuilder.DropIndex(
                name: "IX_Papers_Doi",
                table: "Papers");

            migrationBuilder.DropColumn(
                name: "BackfillLastDay",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "BackfillNextDay",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "Curated",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "UserAdded",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "UsualPaperCount",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "Hidden",
                table: "Papers");

            migrationBuilder.DropColumn(
                name: "AnnounceType",
                table: "Listings");
        }
    }
}
