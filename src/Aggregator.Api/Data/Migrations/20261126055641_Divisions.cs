using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Aggregator.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Divisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "divisions",
                columns: table => new
                {
                    code = table.Column<string>(type: "character(6)", fixedLength: true, maxLength: 6, nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    parent_code = table.Column<string>(type: "character(6)", fixedLength: true, maxLength: 6, nullable: true),
                    province_code = table.Column<string>(type: "character(6)", fixedLength: true, maxLength: 6, nullable: false),
                    prefecture_code = table.Column<string>(type: "character(6)", fixedLength: true, maxLength: 6, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_divisions", x => x.code);
                });

            migrationBuilder.CreateIndex(
                name: "ix_divisions_parent_code",
                table: "divisions",
                column: "parent_code");

            // The GB/T 2260 list, before agencies may refer to it.
            migrationBuilder.Sql(Aggregator.Api.Data.Divisions.DivisionList.UpsertSql());

            migrationBuilder.AddForeignKey(
                name: "fk_agencies_divisions_division_code",
                table: "agencies",
                column: "division_code",
                principalTable: "divisions",
                principalColumn: "code",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_agencies_divisions_division_code",
                table: "agencies");

            migrationBuilder.DropTable(
                name: "divisions");
        }
    }
}
