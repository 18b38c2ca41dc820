using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Aggregator.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReportKeysAndRollupReadModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Reports, revisions and cells are keyed by (agency, year[, number]) from here on: the agency is the
            // distribution key for scale-out and the year a partition key. The natural keys are filled in from the old
            // surrogate ones before those are dropped.
            migrationBuilder.Sql("""
                ALTER TABLE revisions ADD agency_id integer, ADD year integer;
                UPDATE revisions v SET agency_id = r.agency_id, year = r.year FROM reports r WHERE r.id = v.report_id;
                ALTER TABLE report_cells ADD agency_id integer, ADD year integer;
                UPDATE report_cells c SET agency_id = r.agency_id, year = r.year FROM reports r WHERE r.id = c.report_id;
                ALTER TABLE reports ADD current_revision integer, ADD first_submitted_at timestamp with time zone;
                UPDATE reports r SET current_revision = v.number FROM revisions v WHERE v.id = r.current_revision_id;
                UPDATE reports r SET first_submitted_at = f.at
                FROM (SELECT report_id, min(submitted_at) AS at FROM revisions GROUP BY report_id) f WHERE f.report_id = r.id;
                DELETE FROM reports WHERE current_revision IS NULL;
                """);

            migrationBuilder.DropForeignKey(
                name: "fk_report_cells_reports_report_id",
                table: "report_cells");

            migrationBuilder.DropForeignKey(
                name: "fk_reports_revisions_current_revision_id",
                table: "reports");

            migrationBuilder.DropForeignKey(
                name: "fk_revisions_reports_report_id",
                table: "revisions");

            migrationBuilder.DropPrimaryKey(
                name: "pk_revisions",
                table: "revisions");

            migrationBuilder.DropIndex(
                name: "ix_revisions_report_id_number",
                table: "revisions");

            migrationBuilder.DropPrimaryKey(
                name: "pk_reports",
                table: "reports");

            migrationBuilder.DropIndex(
                name: "ix_reports_agency_id_year",
                table: "reports");

            migrationBuilder.DropIndex(
                name: "ix_reports_current_revision_id",
                table: "reports");

            migrationBuilder.DropPrimaryKey(
                name: "pk_report_cells",
                table: "report_cells");

            migrationBuilder.DropIndex(
                name: "ix_report_cells_metric_id_applicant",
                table: "report_cells");

            migrationBuilder.DropColumn(
                name: "id",
                table: "revisions");

            migrationBuilder.DropColumn(
                name: "report_id",
                table: "revisions");

            migrationBuilder.DropColumn(
                name: "id",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "current_revision_id",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "report_id",
                table: "report_cells");

            migrationBuilder.Sql("""
                ALTER TABLE revisions ALTER agency_id SET NOT NULL, ALTER year SET NOT NULL;
                ALTER TABLE report_cells ALTER agency_id SET NOT NULL, ALTER year SET NOT NULL;
                """);

            migrationBuilder.AddPrimaryKey(
                name: "pk_revisions",
                table: "revisions",
                columns: new[] { "agency_id", "year", "number" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_reports",
                table: "reports",
                columns: new[] { "agency_id", "year" });

            migrationBuilder.AddPrimaryKey(
                name: "pk_report_cells",
                table: "report_cells",
                columns: new[] { "agency_id", "year", "metric_id", "applicant" });

            migrationBuilder.CreateIndex(
                name: "ix_reports_agency_id_year_current_revision",
                table: "reports",
                columns: new[] { "agency_id", "year", "current_revision" });

            migrationBuilder.AddForeignKey(
                name: "fk_report_cells_reports_agency_id_year",
                table: "report_cells",
                columns: new[] { "agency_id", "year" },
                principalTable: "reports",
                principalColumns: new[] { "agency_id", "year" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_reports_revisions_agency_id_year_current_revision",
                table: "reports",
                columns: new[] { "agency_id", "year", "current_revision" },
                principalTable: "revisions",
                principalColumns: new[] { "agency_id", "year", "number" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_revisions_reports_agency_id_year",
                table: "revisions",
                columns: new[] { "agency_id", "year" },
                principalTable: "reports",
                principalColumns: new[] { "agency_id", "year" },
                onDelete: ReferentialAction.Restrict);

            // The rollup read model is created by the migration that defines its current shape (ReadModelDenseDeltas).
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The surrogate keys this migration drops cannot be made again from the natural ones in a way anything relies on:
            // go back by restoring a backup taken before the upgrade (see README, operations).
            throw new NotSupportedException("ReportKeysAndRollupReadModel cannot be reverted; restore the backup taken before upgrading.");
        }
    }
}
