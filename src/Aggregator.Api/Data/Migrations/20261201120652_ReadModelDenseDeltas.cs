using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aggregator.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReadModelDenseDeltas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_report_cells_reports_agency_id_year",
                table: "report_cells");

            // The rollup read model in its current shape (dense deltas, uncompressed group arrays), queued anew from
            // what is stored: the API's folder folds the queue after start, and answers include it meanwhile.
            migrationBuilder.Sql("""
                DROP TABLE IF EXISTS rollup_deltas, rollup_slots, rollup_groups, rollup_agencies, rollup_state;
                DROP AGGREGATE IF EXISTS rollup_sum(numeric[]);
                DROP AGGREGATE IF EXISTS rollup_isum(integer[]);
                DROP FUNCTION IF EXISTS rollup_add(numeric[], numeric[]);
                DROP FUNCTION IF EXISTS rollup_iadd(integer[], integer[]);
                """);
            foreach (var statement in ReadModel.RollupProjection.CreateStatements.Concat(ReadModel.RollupProjection.RebuildStatements))
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "fk_report_cells_reports_agency_id_year",
                table: "report_cells",
                columns: new[] { "agency_id", "year" },
                principalTable: "reports",
                principalColumns: new[] { "agency_id", "year" },
                onDelete: ReferentialAction.Cascade);
        }
    }
}
