using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Aggregator.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agencies",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    division_code = table.Column<string>(type: "character(6)", fixedLength: true, maxLength: 6, nullable: false),
                    sector = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agencies", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "report_cells",
                columns: table => new
                {
                    report_id = table.Column<long>(type: "bigint", nullable: false),
                    metric_id = table.Column<short>(type: "smallint", nullable: false),
                    applicant = table.Column<short>(type: "smallint", nullable: false),
                    value = table.Column<decimal>(type: "numeric(24,6)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_cells", x => new { x.report_id, x.metric_id, x.applicant });
                });

            migrationBuilder.CreateTable(
                name: "reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    agency_id = table.Column<int>(type: "integer", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    current_revision_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reports", x => x.id);
                    table.ForeignKey(
                        name: "fk_reports_agencies_agency_id",
                        column: x => x.agency_id,
                        principalTable: "agencies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "revisions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    report_id = table.Column<long>(type: "bigint", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    edition = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    content_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    document = table.Column<string>(type: "jsonb", nullable: false),
                    findings = table.Column<string>(type: "jsonb", nullable: false),
                    finding_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_revisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_revisions_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agencies_code",
                table: "agencies",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agencies_division_code",
                table: "agencies",
                column: "division_code")
                .Annotation("Npgsql:IndexOperators", new[] { "bpchar_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_agencies_sector",
                table: "agencies",
                column: "sector");

            migrationBuilder.CreateIndex(
                name: "ix_report_cells_metric_id_applicant",
                table: "report_cells",
                columns: new[] { "metric_id", "applicant" })
                .Annotation("Npgsql:IndexInclude", new[] { "report_id", "value" });

            migrationBuilder.CreateIndex(
                name: "ix_reports_agency_id_year",
                table: "reports",
                columns: new[] { "agency_id", "year" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_reports_current_revision_id",
                table: "reports",
                column: "current_revision_id");

            migrationBuilder.CreateIndex(
                name: "ix_reports_year",
                table: "reports",
                column: "year");

            migrationBuilder.CreateIndex(
                name: "ix_revisions_report_id_number",
                table: "revisions",
                columns: new[] { "report_id", "number" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_report_cells_reports_report_id",
                table: "report_cells",
                column: "report_id",
                principalTable: "reports",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_reports_revisions_current_revision_id",
                table: "reports",
                column: "current_revision_id",
                principalTable: "revisions",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_revisions_reports_report_id",
                table: "revisions");

            migrationBuilder.DropTable(
                name: "report_cells");

            migrationBuilder.DropTable(
                name: "reports");

            migrationBuilder.DropTable(
                name: "agencies");

            migrationBuilder.DropTable(
                name: "revisions");
        }
    }
}
