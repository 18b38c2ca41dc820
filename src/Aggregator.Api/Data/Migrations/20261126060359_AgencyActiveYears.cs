using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aggregator.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class AgencyActiveYears : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "active_from",
                table: "agencies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "active_to",
                table: "agencies",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "active_from",
                table: "agencies");

            migrationBuilder.DropColumn(
                name: "active_to",
                table: "agencies");
        }
    }
}
